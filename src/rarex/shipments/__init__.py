"""Customs declarations drawing licence quantities down, never past what was licensed."""
