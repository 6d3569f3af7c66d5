from ..chain import CleanConfig, clean_chain
from . import app
from .common import IOArgs, execute, record_command


@app.command()
@record_command
def clean(io: IOArgs) -> None:
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Prints a summary line (articles in, out, rejected, lines removed) on stderr.

    Example:

        newsclean clean drop/ -o clean.jsonl
    """
    execute(io, clean_chain(CleanConfig()), summary=True)
