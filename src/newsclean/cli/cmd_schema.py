import json

import typer

from newsclean.cli.app import app
from newsclean.schema import SCHEMA


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record every command writes.

    Example:

        newsclean schema > record.schema.json
    """
    typer.echo(json.dumps(SCHEMA, indent=2, ensure_ascii=False))
