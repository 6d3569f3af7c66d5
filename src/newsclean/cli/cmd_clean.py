from typing import Optional

import typer

from ..chain import CleanConfig, clean_chain
from ..lang import LangConfig
from . import app
from .cmd_lang import KEEP_HELP, keep_option
from .common import IOArgs, execute, record_command


@app.command()
@record_command
def clean(
    io: IOArgs,
    keep: Optional[str] = typer.Option(None, "--keep", help=KEEP_HELP),  # noqa: UP045
) -> None:
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Prints a summary line (articles in, out, rejected, lines removed) on stderr.

    Example:

        newsclean clean drop/ -o clean.jsonl
    """
    config = CleanConfig(lang=LangConfig(keep=keep_option(keep)))
    execute(io, clean_chain(config), summary=True)
