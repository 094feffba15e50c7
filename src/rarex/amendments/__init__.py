"""Amendments of a licence's non-key elements (DUR Art. 18 para. 3)."""
