"""Licence determination: for an item, a destination, an end user and an end use on a date, is a
licence needed, is the export prohibited, and which licence types are open (and why)."""
