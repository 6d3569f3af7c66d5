from typing import Optional

import typer

from ..chain import CleanConfig, clean_chain
from ..lang import LangConfig
from ..names import NamesConfig
from ..split import SplitConfig
from ..strip import StripConfig
from . import app
from .cmd_lang import KEEP_HELP, keep_option
from .cmd_split import NOW
from .common import IOArgs, execute, record_command


@app.command()
@record_command
def clean(
    io: IOArgs,
    strip_rules: Optional[list[str]] = typer.Option(  # noqa: UP045 (typer needs Optional)
        None, "--strip-rules", metavar="FILE", help="strip: extra boilerplate rules."
    ),
    now: Optional[str] = NOW,  # noqa: UP045
    aliases: Optional[str] = typer.Option(  # noqa: UP045
        None, "--aliases", help="names: JSON alias file (canonical, variants, never pairs)."
    ),
    registry: Optional[str] = typer.Option(  # noqa: UP045
        None, "--registry", help="names: SQLite registry kept across drops."
    ),
    no_rewrite: bool = typer.Option(
        False, "--no-rewrite", help="names: only annotate, keep the text as written."
    ),
    keep: Optional[str] = typer.Option(None, "--keep", help=KEEP_HELP),  # noqa: UP045
) -> None:
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Prints a summary line (articles in, out, rejected, lines removed) on stderr.

    Example:

        newsclean clean drop/ -o clean.jsonl
    """
    config = CleanConfig(
        strip=StripConfig(rules=tuple(strip_rules or ())),
        split=SplitConfig(now=now),
        names=NamesConfig(rewrite=not no_rewrite, aliases=aliases, registry=registry),
        lang=LangConfig(keep=keep_option(keep)),
    )
    execute(io, clean_chain(config), summary=True)
