"""rarex: export-control licensing for dual-use items."""

from pathlib import Path

__version__ = "0.1.0"

#: The checkout this package runs from (src layout): migrations/ and var/ live beside src/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
