import json

import typer

from ..schema import SCHEMA
from . import app


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record every command writes.

    Example:

        newsclean schema > record.schema.json
    """
    typer.echo(json.dumps(SCHEMA, indent=2, ensure_ascii=False))
