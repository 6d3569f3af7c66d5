import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, execute, record_command
from newsclean.stages.extract.stage import ExtractConfig, ExtractStage

_DEFAULT = ExtractConfig()


# Shared with `clean`, which passes them on to this stage.
MAX_HTML_BYTES = typer.Option(
    _DEFAULT.max_html_bytes,
    "--max-html-bytes",
    help="Reject a page whose HTML is larger than this many bytes.",
)
FAST = typer.Option(
    False,
    "--fast",
    help="Skip trafilatura's comparison with readability and jusText "
    "(a few ms faster per page, a little less text).",
)


@app.command()
@record_command
def extract(
    io: IOArgs,
    keep_html: bool = typer.Option(
        False, "--keep-html", help="Keep the 'html' field (dropped by default)."
    ),
    max_html_bytes: int = MAX_HTML_BYTES,
    precision: bool = typer.Option(
        False, "--precision", help="Less text, less boilerplate (trafilatura favor_precision)."
    ),
    fast: bool = FAST,
) -> None:
    """Main text and metadata of HTML records; text records pass through unchanged.

    Fills text (paragraphs, headings, list items and table rows as blocks
    separated by a blank line), title, byline, published, updated, captions,
    site and url (when the record has none), and provenance: which source
    (json-ld, opengraph, meta, h1...) each field came from.

    Example:

        newsclean ingest pages/ | newsclean extract > articles.jsonl
    """
    config = ExtractConfig(
        keep_html=keep_html,
        max_html_bytes=max_html_bytes,
        precision=precision,
        fallbacks=not fast,
    )
    execute(io, [ExtractStage(config)])
