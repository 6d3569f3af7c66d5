"""lang: the language of the body and its probability (langdetect, seeded)."""
