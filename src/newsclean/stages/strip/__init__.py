"""strip: boilerplate out of the article text, every removed line kept with its reason."""
