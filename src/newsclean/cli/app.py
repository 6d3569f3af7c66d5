"""The typer application every command module registers its commands on."""

import typer

from newsclean import __version__

app = typer.Typer(
    name="newsclean",
    help="Turn messy drops of news articles into clean JSONL records.\n\n"
    "Every command reads records (or raw article files) and writes JSONL to stdout:\n\n"
    "  newsclean ingest drop/ | newsclean extract | newsclean strip | newsclean split\n\n"
    "or, every stage in one pass:\n\n"
    "  newsclean clean drop/ -o clean.jsonl",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsclean {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn messy drops of news articles into clean JSONL records."""
