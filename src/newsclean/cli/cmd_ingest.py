from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, execute, record_command


@app.command()
@record_command
def ingest(io: IOArgs) -> None:
    """Read article files into records: .txt, .html/.htm, .jsonl/.json, any of them .gz.

    Folders are read recursively in sorted order; '-' (or no path) reads stdin.
    A record's id is its own 'id' (JSONL), else the file name without extensions.

    Example:

        newsclean ingest drop/ 'extra/*.html.gz' -o records.jsonl
    """
    execute(io, [])
