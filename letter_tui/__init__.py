"""letter-tui: watch a from-scratch NumPy network learn to read letters, in your terminal."""

__version__ = "0.1.0"
