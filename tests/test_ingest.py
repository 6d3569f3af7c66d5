from __future__ import annotations

import codecs
import gzip
import hashlib
import json
from pathlib import Path

import pytest

from newsclean.errors import InputError
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report

from .conftest import SAMPLES, validate


def ingest(*paths: Path | str, **options: object) -> tuple[list[dict], Report]:
    report = Report(quiet=True)
    records = list(read_inputs([str(p) for p in paths], IngestOptions(**options), report))
    for record in records:
        validate(record)
    return records, report


def test_samples_folder_gives_five_records_sorted_with_ids_and_hashes() -> None:
    records, report = ingest(SAMPLES)
    assert [r["id"] for r in records] == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    first = records[0]
    raw = (SAMPLES / f"{first['id']}.txt").read_bytes()
    assert first["source"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert first["source"]["format"] == "text"
    assert first["text"].startswith("Middle east\n")
    assert report.records_in == 5 and report.rejected == 0


def test_recursive_folders_globs_and_formats(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "page.html.gz").write_bytes(gzip.compress(b"<html><p>Hi</p></html>"))
    (tmp_path / "a.txt").write_text("plain")
    (tmp_path / "notes.md").write_text("not an article")
    lines = [{"id": "x1", "text": "one", "mine": 1}, {"html": "<p>two</p>"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    records, _ = ingest(tmp_path)
    assert [r["id"] for r in records] == ["a", "page", "x1", "c-2"]
    assert records[1]["html"] == "<html><p>Hi</p></html>" and "text" not in records[1]
    assert records[2]["mine"] == 1 and records[2]["source"]["line"] == 1
    assert records[3]["source"] == {
        "path": str(tmp_path / "c.jsonl"),
        "line": 2,
        "format": "jsonl",
        "sha256": hashlib.sha256(json.dumps(lines[1]).encode() + b"\n").hexdigest(),
    }
    globbed, _ = ingest(str(tmp_path / "**" / "*.gz"))
    assert [r["id"] for r in globbed] == ["page"]


def test_json_array_file(tmp_path: Path) -> None:
    (tmp_path / "drop.json").write_text(json.dumps([{"id": "a", "text": "x"}, {"text": "y"}]))
    records, _ = ingest(tmp_path / "drop.json")
    assert [r["id"] for r in records] == ["a", "drop-2"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (codecs.BOM_UTF8 + "café\r\nline\rend".encode(), "café\nline\nend"),
        (codecs.BOM_UTF16_LE + "naïve\r\n".encode("utf-16-le"), "naïve\n"),
        (codecs.BOM_UTF16_BE + "naïve".encode("utf-16-be"), "naïve"),
        ("plain ascii text here".encode("utf-16-le"), "plain ascii text here"),
    ],
)
def test_decoding(tmp_path: Path, raw: bytes, expected: str) -> None:
    (tmp_path / "a.txt").write_bytes(raw)
    records, _ = ingest(tmp_path / "a.txt")
    assert records[0]["text"] == expected


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    # UTF-8 (the é) with a few bad bytes stays UTF-8: no detection
    (tmp_path / "a.txt").write_bytes("café ".encode() + b"ok \xff\xfe bad \xc3")
    records, _ = ingest(tmp_path / "a.txt")
    assert records[0]["text"] == "café ok \ufffd\ufffd bad \ufffd"
    assert records[0]["warnings"] == ["3 invalid bytes replaced (decoded as utf-8)"]


@pytest.mark.parametrize(
    ("text", "charset", "named"),
    [
        ("Café au lait – “quoted” in Zürich, naïve reporting.\n", "cp1252", "cp1252"),
        ("Ça coûte très cher à Noël, dit-il.\n", "latin-1", "cp1252"),
        ("Привет, как дела? Это тест кодировки.\n", "cp1251", "cp1251"),
    ],
)
def test_text_that_is_not_utf8_is_decoded_by_detection(
    tmp_path: Path, text: str, charset: str, named: str
) -> None:
    """#17: cp1252 / Latin-1 files came out as "Caf\ufffd au lait"."""
    (tmp_path / "a.txt").write_bytes(text.encode(charset))
    records, _ = ingest(tmp_path / "a.txt")
    assert records[0]["text"] == text
    assert records[0]["warnings"] == [f"not UTF-8: decoded as {named} (detected)"]


def test_utf8_takes_the_fast_path_without_detection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import charset_normalizer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("detection ran on UTF-8")

    monkeypatch.setattr(charset_normalizer, "from_bytes", refuse)
    (tmp_path / "a.txt").write_text("Café au lait – “quoted”.\n", encoding="utf-8")
    records, _ = ingest(tmp_path / "a.txt")
    assert records[0]["text"] == "Café au lait – “quoted”.\n"
    assert "warnings" not in records[0]


def test_html_declared_charset(tmp_path: Path) -> None:
    html = '<meta charset="windows-1252"><p>caf\xe9</p>'.encode("cp1252")
    (tmp_path / "a.html").write_bytes(html)
    records, _ = ingest(tmp_path / "a.html")
    assert "café" in records[0]["html"]


def test_malformed_jsonl_line_stops_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('{"text": "a"}\n{"text": \n{"text": "c"}\n')
    with pytest.raises(InputError, match=r"d\.jsonl:2: invalid JSON"):
        ingest(tmp_path / "d.jsonl")


def test_skip_invalid_accounts_for_every_line(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text(
        '{"text": "a"}\n[1]\n{"text": 5}\n{"title": "no text"}\n{"text": "e"}\n{"text": "tru'
    )
    records, report = ingest(tmp_path / "d.jsonl", skip_invalid=True)
    assert [r["text"] for r in records] == ["a", "e"]
    assert report.records_in == 6 and report.rejected == 4
    assert report.records_in == len(records) + report.rejected


@pytest.mark.parametrize("first", ["[1, 2]", "42", "not json", '"a string"', "[", '[{"text": 1}]'])
def test_a_first_line_that_is_not_an_object_rejects_that_line_only(
    tmp_path: Path, first: str
) -> None:
    """#17: a file opening on '[' was read as one JSON array, and lost whole."""
    (tmp_path / "d.jsonl").write_text(f'{first}\n{{"id": "b", "text": "B"}}\n{{"text": "C"}}\n')
    records, report = ingest(tmp_path / "d.jsonl", skip_invalid=True)
    assert [r["text"] for r in records] == ["B", "C"]
    assert [r["source"]["line"] for r in records] == [2, 3]
    assert (report.records_in, report.rejected) == (3, 1)
    with pytest.raises(InputError, match=r"d\.jsonl:1: "):
        ingest(tmp_path / "d.jsonl")


def test_a_json_array_file_is_still_records(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]')
    (tmp_path / "lines.json").write_text('[{"id": "c", "text": "C"},\n {"id": "d", "text": "D"}]\n')
    records, _ = ingest(tmp_path / "one.json", tmp_path / "lines.json")
    assert [r["id"] for r in records] == ["a", "b", "c", "d"]


def test_duplicate_ids_fail_or_get_suffixes(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(folder)
    with pytest.raises(InputError, match=r"id 'same' already used by"):
        ingest(tmp_path)
    records, _ = ingest(tmp_path, unique_ids=True)
    assert [r["id"] for r in records] == ["same", "same-2"]
    records, _ = ingest(tmp_path, ids="path")
    assert [r["id"] for r in records] == ["x/same", "y/same"]


def test_gzip_bomb_and_truncated_gzip_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    with pytest.raises(InputError, match=r"bomb\.txt\.gz: larger than the 1000000-byte limit"):
        ingest(tmp_path / "bomb.txt.gz", max_bytes=1_000_000)
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(b"hello world" * 1000)[:40])
    with pytest.raises(InputError, match=r"cut\.txt\.gz: corrupt or truncated gzip"):
        ingest(tmp_path / "cut.txt.gz")


def test_binary_file_with_text_name_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "b.txt").write_text("fine")
    records, report = ingest(tmp_path, skip_invalid=True)
    assert [r["id"] for r in records] == ["b"]
    assert report.rejected == 1 and report.records_in == 2


def test_missing_path_is_an_error() -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        ingest("nope.txt")
