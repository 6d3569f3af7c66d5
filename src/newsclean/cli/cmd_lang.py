from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, execute, record_command
from newsclean.stages.lang.stage import LangConfig, LangStage, parse_keep

KEEP_HELP = (
    "Keep only these languages (ISO 639-1, comma-separated); the other records go "
    "to --rejects with their language, and are counted. Records too short to judge "
    "are rejected too unless 'und' is listed."
)
MIN_LETTERS_HELP = "Below this many letters, lang and lang_prob are null, not a guess."


def keep_option(value: Optional[str]) -> tuple[str, ...]:  # noqa: UP045
    """``--keep`` as a tuple of codes; a code langdetect does not know is a usage error."""
    try:
        return parse_keep(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--keep") from None


@app.command()
@record_command
def lang(
    io: IOArgs,
    keep: Optional[str] = typer.Option(None, "--keep", help=KEEP_HELP),  # noqa: UP045
    min_letters: int = typer.Option(
        LangConfig.min_letters, "--min-letters", min=1, help=MIN_LETTERS_HELP
    ),
) -> None:
    """Add the language (lang, ISO 639-1) and its probability (lang_prob).

    Detects on the body, or on the text when strip has not run, with langdetect
    seeded: the same text always gets the same answer. Prints a summary line on
    stderr when records were filtered out.

    Example:

        newsclean lang records.jsonl --keep en,fr --rejects other.jsonl
    """
    config = LangConfig(keep=keep_option(keep), min_letters=min_letters)
    execute(io, [LangStage(config)])
