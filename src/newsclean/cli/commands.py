"""The command modules, in the order ``newsclean --help`` lists them."""

from . import (  # noqa: F401
    cmd_clean,
    cmd_ingest,
    cmd_lang,
    cmd_schema,
)
