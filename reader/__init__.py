"""reader: a keyboard-first terminal reader for annotating news articles."""

__version__ = "0.1.0"
