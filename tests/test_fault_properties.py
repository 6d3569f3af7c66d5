"""Property tests of the command line and of deep input (#19), with the
hypothesis profiles of tests/test_properties.py (``dev`` for make test,
``fuzz`` for make fuzz):

* any command, any mix of option values (valid or not) and any bytes on stdin
  end with exit 0, 1 or 2: never a traceback, and a failure is said on stderr
  in lines that start with ``newsclean:`` (usage errors: typer's box);
* JSON nested to any depth is a record or a located reject, never a crash, in
  ingest and through the whole chain.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsclean.cli import app
from newsclean.errors import InputError
from newsclean.record import dumps
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report

from .test_properties import article_text, html_text, records

_OUT = Path(tempfile.mkdtemp(prefix="newsclean-fuzz-"))

COMMANDS = [
    ["ingest"],
    ["extract"],
    ["strip"],
    ["split"],
    ["names"],
    ["lang"],
    ["clean", "-j", "1"],
]

_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.sampled_from(["", "x", "1e999", "-0", "0", "nan", "inf", "-inf"]),
)
OPTIONS = st.one_of(
    st.tuples(st.just("--timeout"), _number.map(str)),
    st.tuples(st.just("--max-bytes"), _number.map(str)),
    st.tuples(st.just("--ids"), st.sampled_from(["name", "path", "", "other"])),
    st.just(("--skip-invalid",)),
    st.just(("--unique-ids",)),
    st.just(("-q",)),
    st.tuples(st.just("-o"), st.sampled_from(["", "-", str(_OUT / "o.jsonl"), "/dev/full"])),
    st.tuples(st.just("--rejects"), st.sampled_from(["", str(_OUT / "r.jsonl"), "/dev/null"])),
)


def _deep(depth: int, leaf: str) -> str:
    return '{"id": "d", "text": "Deep.", "m": ' + "[" * depth + leaf + "]" * depth + "}"


STDIN = st.one_of(
    st.binary(max_size=2000),
    article_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    html_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(records(), max_size=3).map(lambda rs: "".join(dumps(r) + "\n" for r in rs).encode()),
    st.integers(0, 1500).map(lambda d: (_deep(d, '"x"') + "\n").encode()),
)


@given(command=st.sampled_from(COMMANDS), options=st.lists(OPTIONS, max_size=3), stdin=STDIN)
def test_the_cli_ends_with_an_exit_code_never_a_traceback(
    command: list[str], options: list[tuple[str, ...]], stdin: bytes
) -> None:
    args = [*command, *(part for option in options for part in option)]
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert all(line.startswith("newsclean:") for line in lines), result.stderr
        # -q keeps a failing run's summary to itself; a stopping error is said anyway
        assert lines or ("-q",) in options, (args, result.stderr)
    if result.exit_code == 2:
        assert "Usage:" in result.stderr


@given(depth=st.integers(0, 1200), shape=st.sampled_from(["list", "dict"]))
def test_json_nested_to_any_depth_is_a_record_or_a_located_reject(
    tmp_path_factory: Any, depth: int, shape: str
) -> None:
    opening, closing = ("[", "]") if shape == "list" else ('{"k": ', "}")
    line = '{"id": "d", "text": "Deep.", "m": ' + opening * depth + '"x"' + closing * depth + "}"
    path = Path(tmp_path_factory.mktemp("deep")) / "in.jsonl"
    path.write_text(line + "\n")
    report = Report(quiet=True)
    try:
        (record,) = list(read_inputs([str(path)], IngestOptions(), report))
    except InputError as exc:
        assert exc.where == f"{path}:1"
        assert "nested" in exc.reason
        assert depth >= 100  # the record's own object is the first level
        return
    assert depth < 100
    value = record["m"]
    for _ in range(depth):
        value = value[0] if shape == "list" else value["k"]
    assert value == "x"
    assert json.loads(dumps(record)) == record
