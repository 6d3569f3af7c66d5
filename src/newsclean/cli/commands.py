"""The command modules, in the order ``newsclean --help`` lists them."""

from . import (  # noqa: F401
    cmd_clean,
    cmd_extract,
    cmd_ingest,
    cmd_schema,
)
