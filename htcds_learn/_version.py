"""The package version (floor 0: importable from anywhere without a circle)."""

__version__ = "0.1.0"
