"""newsclean: turn messy drops of news articles into clean JSONL records.

The Python API (see :mod:`newsclean.api`)::

    import newsclean

    record = newsclean.clean(open("article.html").read())
    records = newsclean.clean_records([{"id": "a1", "text": "..."}], drop=["text"])
"""

__version__ = "0.1.0"

from newsclean.api import clean, clean_config, clean_records

__all__ = ["__version__", "clean", "clean_config", "clean_records"]
