from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from newsclean.cli import app
from newsclean.schema import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def validate(record: dict[str, Any]) -> None:
    """Fail with every schema error of ``record``."""
    errors = sorted(_VALIDATOR.iter_errors(record), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors)


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in text.splitlines() if line]
    for record in records:
        validate(record)
    return records


class Cli:
    """In-process CLI runs (sqlite-utils style); stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: bytes | str | None = None) -> Any:
        return self.runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()
