"""Records out of JSONL (one object per line) and JSON array files, read in
bounded chunks; each object checked against the record schema."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Iterator
from typing import IO, Any

from newsclean.errors import InputError
from newsclean.record import Record
from newsclean.runtime.checks import GZIP_ERRORS, html_problem, read_limited, schema_problem
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report
from newsclean.text.decode import decode, guess_utf16, scrub


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(f"number {number[:40]} is out of range")
    return value


def _constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity, but written back out they are not JSON
    raise ValueError(f"{name} is not JSON")


def _loads(text: str, path: str, line_no: int) -> Any:
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON ({exc.msg} at column {exc.colno})", line_no, text
        ) from None
    except ValueError as exc:  # NaN, 1e999, an integer of more than 4300 digits
        raise InputError(path, f"invalid JSON ({str(exc)[:200]})", line_no, text) from None
    except RecursionError:
        raise InputError(path, "invalid JSON (nested too deeply)", line_no, text) from None


def _jsonl_record(path: str, line_no: int, raw: bytes, stem: str) -> Record:
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    obj = _loads(text, path, line_no)
    if not isinstance(obj, dict):
        raise InputError(path, "expected a JSON object", line_no, text)
    return _from_object(obj, path, line_no, raw, stem, text)


def object_record(obj: dict[str, Any], path: str, line_no: int, stem: str) -> Record:
    """The record of a dict given as a JSONL line holds it (the Python API)."""
    text = json.dumps(obj, ensure_ascii=False)
    return _from_object(dict(obj), path, line_no, text.encode("utf-8", "replace"), stem, text)


def _from_object(
    obj: dict[str, Any], path: str, line_no: int, raw: bytes, stem: str, text: str
) -> Record:
    for key in ("text", "html", "body"):
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            raise InputError(path, f"'{key}' is not a string", line_no, text)
    if not any(isinstance(obj.get(k), str) for k in ("text", "html", "body")):
        raise InputError(path, "record has no 'text' or 'html' string", line_no, text)
    scrubbed, surrogates = scrub(obj)
    record: Record = scrubbed
    given = record.get("id")
    if isinstance(given, (str, int)) and not isinstance(given, bool) and str(given):
        record["id"] = str(given)
    else:
        record["id"] = f"{stem}-{line_no}"
    source = record.get("source")
    if not (isinstance(source, dict) and "sha256" in source):
        if source is not None and "original_source" not in record:
            # an export's own "source" (NewsAPI: {"name": "BBC News"}) is kept, not overwritten
            record["original_source"] = source
        record["source"] = {
            "path": path,
            "line": line_no,
            "format": "jsonl",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
    record.setdefault("url", None)
    problem = schema_problem(record)
    if not problem and isinstance(record.get("html"), str):
        problem = html_problem(record["html"])
    if problem:
        raise InputError(path, problem, line_no, text)
    if surrogates:
        message = f"{surrogates} lone surrogates replaced (they are not valid Unicode)"
        record["warnings"] = [*(record.get("warnings") or []), message]
    return record


_CHUNK = 1 << 20
_BLANKS = re.compile(rb"[ \t\r\n\x0b\x0c]*")


def _jsonl_lines(stream: IO[bytes], path: str, limit: int) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of ``stream`` with their numbers, read in chunks.

    Bounded: a line longer than ``limit`` and a run of blank lines longer than
    ``limit`` (a gzip bomb of newlines would otherwise take minutes) are refused.
    """
    line_no = 0
    blank = 0  # bytes of blank lines since the last non-blank one
    carry: list[bytes] = []  # the start of a line that runs past a chunk
    carried = 0
    # read1: at most one step of inflating, so a truncated gzip still gives
    # every line before the cut
    read = getattr(stream, "read1", stream.read)
    try:
        while chunk := read(_CHUNK):
            pos = 0
            while pos < len(chunk):
                if not carry:
                    # skip a run of blank lines in one step, not line by line
                    run = _BLANKS.match(chunk, pos)
                    last = chunk.rfind(b"\n", pos, run.end() if run else pos)
                    if last >= 0:
                        line_no += chunk.count(b"\n", pos, last + 1)
                        blank += last + 1 - pos
                        if blank > limit:
                            raise InputError(
                                path, f"more than {limit} bytes of blank lines", line_no
                            )
                        pos = last + 1
                        continue
                end = chunk.find(b"\n", pos)
                if end < 0:
                    carry.append(chunk[pos:])
                    carried += len(chunk) - pos
                    if carried > limit:
                        raise InputError(
                            path, f"line longer than the {limit}-byte limit", line_no + 1
                        )
                    break
                line = b"".join([*carry, chunk[pos : end + 1]])
                carry, carried = [], 0
                pos = end + 1
                line_no += 1
                if len(line) > limit:
                    raise InputError(path, f"line longer than the {limit}-byte limit", line_no)
                if line.strip():
                    blank = 0
                    yield line_no, line
                else:
                    blank += len(line)
    except GZIP_ERRORS as exc:
        raise InputError(path, f"corrupt or truncated gzip ({exc})", line_no + 1) from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}", line_no + 1) from exc
    if carry:
        line = b"".join(carry)
        if line.strip():
            yield line_no + 1, line


def records_of_jsonl(
    stream: IO[bytes], path: str, stem: str, options: IngestOptions, report: Report
) -> Iterator[Record]:
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or guess_utf16(head):
        # UTF-16 JSONL is rare enough to read whole (still bounded).
        text = decode(read_limited(stream, path, options.max_bytes)).text
        lines: Iterator[tuple[int, bytes]] = (
            (i, line.encode()) for i, line in enumerate(text.split("\n"), 1) if line.strip()
        )
    else:
        lines = _jsonl_lines(stream, path, options.max_bytes)
    first = next(lines, None)
    if first is None:
        return
    if first[1].lstrip()[:1] == b"[":
        # a .json file holding one array of records, or JSONL whose first line is
        # an array (#17): read whole (bounded) to tell which
        held = _gather(first, lines, path, options.max_bytes)
        items = _array(b"".join(raw for _, raw in held))
        if items is not None:
            yield from _records_of_array(items, path, stem, report, options)
            return
        lines = iter(held)
    else:
        lines = itertools.chain([first], lines)
    yield from _records_of_lines(lines, path, stem, options, report)


def _records_of_lines(
    lines: Iterator[tuple[int, bytes]],
    path: str,
    stem: str,
    options: IngestOptions,
    report: Report,
) -> Iterator[Record]:
    """One record per JSONL line; a malformed line rejects that line only."""
    for line_no, raw in lines:
        report.records_in += 1
        try:
            record = _jsonl_record(path, line_no, raw, stem)
        except InputError as exc:
            if not options.skip_invalid:
                raise
            report.reject(exc.where, exc.reason, exc.raw)
            continue
        yield record


def _gather(
    first: tuple[int, bytes], rest: Iterator[tuple[int, bytes]], path: str, limit: int
) -> list[tuple[int, bytes]]:
    """The lines of a file that opens on '[', refused past ``limit`` bytes."""
    held, size = [first], len(first[1])
    for item in rest:
        held.append(item)
        size += len(item[1])
        if size > limit:
            raise InputError(path, f"JSON array larger than the {limit}-byte limit (--max-bytes)")
    return held


def _array(raw: bytes) -> list[Any] | None:
    """The items of a file that is one JSON array (the lines joined); None when the
    file is not one (JSONL whose first line is an array, or not JSON at all)."""
    try:
        items = _loads(raw.decode("utf-8", errors="replace"), "", 1)
    except InputError:
        return None
    return items if isinstance(items, list) else None


def _records_of_array(
    items: list[Any], path: str, stem: str, report: Report, options: IngestOptions
) -> Iterator[Record]:
    for i, item in enumerate(items, 1):
        report.records_in += 1
        try:
            if not isinstance(item, dict):
                raise InputError(path, f"item {i} is not a JSON object", 1)
            text = json.dumps(item, ensure_ascii=False)
            yield _from_object(item, path, i, text.encode("utf-8", "replace"), stem, text)
        except InputError as exc:
            if not options.skip_invalid:
                raise
            report.reject(exc.where, exc.reason, exc.raw)
