"""Training data and fitting for newsclean's line model (#15); not shipped in the package."""
