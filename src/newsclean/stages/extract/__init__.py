"""extract: saved HTML pages to main text and metadata (title, authors, dates, captions)."""
