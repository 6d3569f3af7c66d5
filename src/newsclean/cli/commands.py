"""The command modules, in the order ``newsclean --help`` lists them."""

# ruff: noqa: I001, F401  (the import order is the order of --help)
from newsclean.cli import cmd_ingest
from newsclean.cli import cmd_extract
from newsclean.cli import cmd_strip
from newsclean.cli import cmd_split
from newsclean.cli import cmd_names
from newsclean.cli import cmd_lang
from newsclean.cli import cmd_clean
from newsclean.cli import cmd_schema
