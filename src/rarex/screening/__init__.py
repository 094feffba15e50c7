"""Restricted-party screening: versioned lists, name matching across Chinese, pinyin and Latin, hits on cases."""
