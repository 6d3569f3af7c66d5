"""split: title, section, standfirst, byline, dateline, timestamps, captions, headings and
sources out of the body into fields of their own."""
