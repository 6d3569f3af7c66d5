"""The ``newsclean`` command line. Only option parsing and exit codes live here:
the work is done by the library core, which never imports typer."""

# Each module registers its commands on ``app``; the order here is the order of --help.
from newsclean.cli import commands  # noqa: F401
from newsclean.cli.app import app


def main() -> None:
    app()
