from typing import Optional

import typer

from ..chain import CleanConfig, clean_chain
from ..split import SplitConfig
from ..strip import StripConfig
from . import app
from .cmd_split import NOW
from .common import IOArgs, execute, record_command


@app.command()
@record_command
def clean(
    io: IOArgs,
    strip_rules: Optional[list[str]] = typer.Option(  # noqa: UP045 (typer needs Optional)
        None, "--strip-rules", metavar="FILE", help="Extra boilerplate rules for strip."
    ),
    now: Optional[str] = NOW,  # noqa: UP045
) -> None:
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Prints a summary line (articles in, out, rejected, lines removed) on stderr.

    Example:

        newsclean clean drop/ -o clean.jsonl
    """
    config = CleanConfig(
        strip=StripConfig(rules=tuple(strip_rules or ())),
        split=SplitConfig(now=now),
    )
    execute(io, clean_chain(config), summary=True)
