"""Folding words for comparison: lower case without accents."""

from __future__ import annotations

import unicodedata


def fold(word: str) -> str:
    """Lower case without accents ("Zoë" -> "zoe"), as the word lists are written."""
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))
