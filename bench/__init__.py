"""`make bench`: figures for newsclean beside its peers, measured in one run."""
