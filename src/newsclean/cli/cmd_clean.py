from typing import Optional

from ..chain import CleanConfig, clean_chain
from ..split import SplitConfig
from . import app
from .cmd_split import NOW
from .common import IOArgs, execute, record_command


@app.command()
@record_command
def clean(io: IOArgs, now: Optional[str] = NOW) -> None:  # noqa: UP045
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Prints a summary line (articles in, out, rejected, lines removed) on stderr.

    Example:

        newsclean clean drop/ -o clean.jsonl
    """
    config = CleanConfig(split=SplitConfig(now=now))
    execute(io, clean_chain(config), summary=True)
