"""The Python API (#17): newsclean.clean and newsclean.clean_records."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

import newsclean
from newsclean.errors import InputError, Reject

from .conftest import ROOT, SAMPLES, parse_jsonl, validate

HTML = Path(__file__).parent / "data" / "html"


def _readme_example() -> str:
    """The Python code block of the README's "Python API" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "the README shows the API in a ```python block"
    return found.group(1)


def test_the_readme_example_runs_and_says_what_it_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = _readme_example()
    here = os.getcwd()
    os.chdir(ROOT)  # the example opens samples/ as a user in the checkout would
    try:
        namespace: dict[str, Any] = {}
        exec(compile(code, "README.md", "exec"), namespace)
    finally:
        os.chdir(here)
    printed = capsys.readouterr().out.splitlines()
    # each print's comment in the README is what it prints
    promised = [line.split("# ", 1)[1] for line in code.splitlines() if line.startswith("print(")]
    assert [p.split(" (")[0] for p in promised] == printed
    for record in [namespace["record"], *namespace["records"]]:
        validate(record)
    assert "text" not in namespace["records"][0]


def _without(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in keys}


def test_clean_records_gives_the_records_the_cli_gives(cli) -> None:
    expected = parse_jsonl(cli("clean", str(SAMPLES), "-q", "-j", "1").stdout)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    got = newsclean.clean_records(texts)
    assert [_without(r, "id", "source") for r in got] == [
        _without(r, "id", "source") for r in expected
    ]
    assert [r["id"] for r in got] == [f"record-{n}" for n in range(1, 6)]
    assert list(got[0]) == list(expected[0])  # the record's field order
    # as dicts, ids and fields of one's own carried through
    given = [
        {"id": p.stem, "text": t, "mine": 1}
        for p, t in zip(sorted(SAMPLES.glob("*.txt")), texts, strict=True)
    ]
    as_dicts = newsclean.clean_records(given)
    assert [r["id"] for r in as_dicts] == [r["id"] for r in expected]
    assert [_without(r, "source", "mine") for r in as_dicts] == [
        _without(r, "source") for r in expected
    ]
    assert all(r["mine"] == 1 for r in as_dicts)


def test_clean_one_page_gives_the_record_the_cli_gives(cli, tmp_path: Path) -> None:
    page = HTML / "nsf-4515.html.gz"
    html = gzip.decompress(page.read_bytes()).decode("utf-8")
    (tmp_path / "nsf.html").write_text(html, encoding="utf-8")
    [expected] = parse_jsonl(cli("clean", str(tmp_path / "nsf.html"), "-q", "-j", "1").stdout)
    got = newsclean.clean(html, id="nsf")
    assert _without(got, "source") == _without(expected, "source")
    assert got["stages"] == ["extract", "strip", "split", "names", "lang"]
    assert list(newsclean.clean(html, fields=["id", "title"])) == ["id", "title"]


def test_refusals_raise_with_the_reason() -> None:
    with pytest.raises(Reject, match="lang und not in fr") as info:
        newsclean.clean("Short.", keep="fr")
    assert info.value.filtered
    with pytest.raises(InputError, match="empty file"):
        newsclean.clean("   ")
    with pytest.raises(InputError, match=r"<api>:2: record has no 'text' or 'html' string"):
        newsclean.clean_records(["An article.", {"id": "x"}])
    kept = newsclean.clean_records(["An article.", {"id": "x"}, 5], skip_invalid=True)  # type: ignore[list-item]
    assert [r["id"] for r in kept] == ["record-1"]
    with pytest.raises(ValueError, match="unknown language code"):
        newsclean.clean("An article.", keep="xx")
    # filtered on purpose: left out of a batch, no error
    assert (
        newsclean.clean_records(["An article in English, long enough to judge it well."], keep="fr")
        == []
    )


def test_api_records_round_trip_through_jsonl() -> None:
    record = newsclean.clean("Title\n\nA first paragraph of the article, with some words.")
    assert json.loads(json.dumps(record)) == record
