"""The command modules, in the order ``newsclean --help`` lists them."""

# ruff: noqa: I001, F401  (the import order is the order of --help)
from . import cmd_ingest
from . import cmd_extract
from . import cmd_strip
from . import cmd_split
from . import cmd_names
from . import cmd_lang
from . import cmd_clean
from . import cmd_schema
