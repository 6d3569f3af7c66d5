"""newsclean: turn messy drops of news articles into clean JSONL records."""

__version__ = "0.1.0"
