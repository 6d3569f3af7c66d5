"""Article files, folders, globs and stdin into records.

Supported: ``.txt``, ``.html``/``.htm``, ``.jsonl``/``.json`` (records with ``text``
or ``html``), each optionally ``.gz``. Anything else named explicitly is sniffed.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from .decode import decode, looks_binary
from .errors import InputError
from .record import Record
from .report import Report

Format = Literal["text", "html", "jsonl"]
_EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
STDIN = "-"
_STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class IngestOptions:
    """How inputs become records.

    skip_invalid: reject a malformed input (JSONL line, unreadable or binary file)
        and go on, instead of stopping the run at it.
    ids: ``name`` takes the file name without extensions as the id; ``path`` takes
        the path relative to the folder given, for drops where names repeat.
    unique_ids: give a repeated id a ``-2``, ``-3``... suffix instead of failing.
    max_bytes: refuse an article (or a JSONL line) larger than this once
        decompressed: it protects against gzip bombs.
    """

    skip_invalid: bool = False
    ids: Literal["name", "path"] = "name"
    unique_ids: bool = False
    max_bytes: int = 100 * 1024 * 1024


def _split_ext(path: str) -> tuple[str, bool, Format | None]:
    """Return (stem, gzipped, format) for a file name."""
    name = os.path.basename(path)
    gz = name.lower().endswith(".gz")
    if gz:
        name = name[:-3]
    stem, ext = os.path.splitext(name)
    fmt = _EXTENSIONS.get(ext.lower())
    if fmt is None:
        stem = name
    return stem, gz, fmt


def _id_for(path: str, root: str | None, options: IngestOptions) -> str:
    stem, _, fmt = _split_ext(path)
    if options.ids == "path" and root is not None:
        rel = os.path.relpath(path, root)
        folder = os.path.dirname(rel)
        return f"{folder}/{stem}".lstrip("./") if folder else stem
    return stem if fmt is not None or "." not in stem else stem.split(".")[0]


def expand(paths: Iterable[str], report: Report) -> Iterator[tuple[str, str | None]]:
    """Yield (file, root folder or None) for each input, folders recursively and
    sorted, globs expanded and sorted. ``-`` stands for stdin."""
    for given in paths:
        if given == STDIN:
            yield STDIN, None
        elif os.path.isdir(given):
            skipped = 0

            def unreadable(exc: OSError) -> None:
                report.warn(f"{exc.filename}: cannot read folder: {exc.strerror}")

            found: list[tuple[tuple[str, ...], str]] = []
            for folder, _dirs, files in os.walk(given, onerror=unreadable):
                for name in files:
                    if _split_ext(name)[2] is None:
                        skipped += 1
                        continue
                    full = os.path.join(folder, name)
                    found.append((Path(os.path.relpath(full, given)).parts, full))
            # sorted as paths (like `find | sort`), so a folder's files and
            # subfolders interleave by name
            for _, full in sorted(found):
                yield full, given
            if skipped:
                report.warn(f"{given}: skipped {skipped} files that are not .txt/.html/.jsonl")
        elif os.path.exists(given) or os.path.islink(given):
            yield given, None
        elif glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                raise InputError(given, "no file matches this pattern")
            yield from expand(matches, report)
        else:
            raise InputError(given, "no such file or folder")


def _sniff(head: bytes) -> Format:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "jsonl"
    if stripped[:1] == b"<":
        return "html"
    return "text"


def _read_limited(stream: IO[bytes], path: str, limit: int) -> bytes:
    try:
        data = stream.read(limit + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(path, f"corrupt or truncated gzip ({exc})") from exc
    if len(data) > limit:
        raise InputError(path, f"larger than the {limit}-byte limit (--max-bytes)")
    return data


def _open(path: str) -> Any:
    try:
        if path.lower().endswith(".gz"):
            return gzip.open(path, "rb")
        return open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc


def _file_record(path: str, raw: bytes, fmt: Format, record_id: str, report: Report) -> Record:
    decoded = decode(raw, html=fmt == "html")
    if looks_binary(decoded.text):
        raise InputError(path, "binary data, not text")
    record: Record = {
        "id": record_id,
        "source": {
            "path": path,
            "line": None,
            "format": fmt,
            "sha256": hashlib.sha256(raw).hexdigest(),
        },
        "url": None,
        ("html" if fmt == "html" else "text"): decoded.text,
    }
    if decoded.replaced:
        message = f"{decoded.replaced} invalid bytes replaced (decoded as {decoded.encoding})"
        report.warn(f"{path}: {message}")
        record["warnings"] = [message]
    return record


def _jsonl_record(path: str, line_no: int, raw: bytes, stem: str) -> Record:
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    try:
        obj: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON ({exc.msg} at column {exc.colno})", line_no, text
        ) from None
    if not isinstance(obj, dict):
        raise InputError(path, "expected a JSON object", line_no, text)
    return _from_object(obj, path, line_no, raw, stem, text)


def _from_object(
    obj: dict[str, Any], path: str, line_no: int, raw: bytes, stem: str, text: str
) -> Record:
    for key in ("text", "html", "body"):
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            raise InputError(path, f"'{key}' is not a string", line_no, text)
    if not any(isinstance(obj.get(k), str) for k in ("text", "html", "body")):
        raise InputError(path, "record has no 'text' or 'html' string", line_no, text)
    record = dict(obj)
    given = record.get("id")
    if isinstance(given, (str, int)) and not isinstance(given, bool) and str(given):
        record["id"] = str(given)
    else:
        record["id"] = f"{stem}-{line_no}"
    source = record.get("source")
    if not (isinstance(source, dict) and "sha256" in source):
        record["source"] = {
            "path": path,
            "line": line_no,
            "format": "jsonl",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
    record.setdefault("url", None)
    return record


def _jsonl_lines(stream: IO[bytes], path: str, limit: int) -> Iterator[tuple[int, bytes]]:
    line_no = 0
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            line_no += 1
            if len(line) > limit and not line.endswith(b"\n"):
                raise InputError(path, f"line longer than the {limit}-byte limit", line_no)
            yield line_no, line
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(path, f"corrupt or truncated gzip ({exc})", line_no + 1) from exc


def _records_of_jsonl(
    stream: IO[bytes], path: str, stem: str, options: IngestOptions, report: Report
) -> Iterator[Record]:
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 JSONL is rare enough to read whole (still bounded).
        text = decode(_read_limited(stream, path, options.max_bytes)).text
        lines: Iterable[tuple[int, bytes]] = (
            (i, line.encode()) for i, line in enumerate(text.split("\n"), 1)
        )
    else:
        lines = _jsonl_lines(stream, path, options.max_bytes)
    first = True
    for line_no, raw in lines:
        if first and raw.lstrip()[:1] == b"[":
            # a .json file holding one array of records
            rest = b"".join(r for _, r in lines)
            yield from _records_of_array(raw + rest, path, stem, report, options)
            return
        first = False
        if not raw.strip():
            continue
        report.records_in += 1
        try:
            record = _jsonl_record(path, line_no, raw, stem)
        except InputError as exc:
            if not options.skip_invalid:
                raise
            report.reject(exc.where, exc.reason, exc.raw)
            continue
        yield record


def _records_of_array(
    raw: bytes, path: str, stem: str, report: Report, options: IngestOptions
) -> Iterator[Record]:
    try:
        items = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON ({exc.msg})", exc.lineno) from exc
    for i, item in enumerate(items, 1):
        report.records_in += 1
        try:
            if not isinstance(item, dict):
                raise InputError(path, f"item {i} is not a JSON object", 1)
            text = json.dumps(item, ensure_ascii=False)
            yield _from_object(item, path, i, text.encode(), stem, text)
        except InputError as exc:
            if not options.skip_invalid:
                raise
            report.reject(exc.where, exc.reason, exc.raw)


class _Prepended:
    """A binary stream with bytes already read put back in front (for stdin)."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = head
        self._rest = rest

    def read(self, n: int = -1) -> bytes:
        head, self._head = self._head, b""
        if n < 0:
            return head + self._rest.read()
        if len(head) >= n:
            self._head = head[n:]
            return head[:n]
        return head + self._rest.read(n - len(head))

    def readline(self, limit: int = -1) -> bytes:
        if self._head:
            cut = self._head.find(b"\n")
            if cut >= 0:
                line, self._head = self._head[: cut + 1], self._head[cut + 1 :]
                return line
            head, self._head = self._head, b""
            return head + self._rest.readline(limit)
        return self._rest.readline(limit)


def read_inputs(
    paths: Iterable[str],
    options: IngestOptions,
    report: Report,
    stdin: IO[bytes] | None = None,
) -> Iterator[Record]:
    """Every input as records, in order. Raises :class:`InputError` on bad input
    unless ``options.skip_invalid``, in which case the input goes to ``report``."""
    seen: dict[str, str] = {}
    for path, root in expand(paths, report):
        records = _records_of(path, root, options, report, stdin)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except InputError as exc:
                if not options.skip_invalid:
                    raise
                # a file that failed as a whole (or the unread rest of one) is one input
                report.records_in += 1
                report.reject(exc.where, exc.reason, exc.raw)
                break
            try:
                yield _unique(record, seen, options)
            except InputError as exc:
                if not options.skip_invalid:
                    raise
                report.reject(exc.where, exc.reason, exc.raw)


def _unique(record: Record, seen: dict[str, str], options: IngestOptions) -> Record:
    record_id = record["id"]
    where = record["source"]["path"]
    if record_id in seen:
        if not options.unique_ids:
            raise InputError(
                where,
                f"id {record_id!r} already used by {seen[record_id]} "
                "(use --unique-ids to suffix repeats, or --ids path)",
                record["source"].get("line"),
            )
        n = 2
        while f"{record_id}-{n}" in seen:
            n += 1
        record = {**record, "id": f"{record_id}-{n}"}
    seen[record["id"]] = where
    return record


def _records_of(
    path: str,
    root: str | None,
    options: IngestOptions,
    report: Report,
    stdin: IO[bytes] | None,
) -> Iterator[Record]:
    if path == STDIN:
        if stdin is None:
            raise InputError(_STDIN_NAME, "no standard input")
        head = stdin.read(4096)
        stream: Any = _Prepended(head, stdin)
        fmt = _sniff(head)
        if fmt == "jsonl":
            yield from _records_of_jsonl(stream, _STDIN_NAME, "stdin", options, report)
        else:
            raw = _read_limited(stream, _STDIN_NAME, options.max_bytes)
            record = _file_record(_STDIN_NAME, raw, fmt, "stdin", report)
            report.records_in += 1
            yield record
        return
    if os.path.isdir(path):
        raise InputError(path, "is a folder inside a folder walk (symlink loop?)")
    stem, _, known = _split_ext(path)
    record_id = _id_for(path, root, options)
    with _open(path) as stream:
        fmt = known or _sniff(stream.peek(4096)[:4096] if hasattr(stream, "peek") else b"")
        if fmt == "jsonl":
            yield from _records_of_jsonl(stream, path, stem, options, report)
            return
        if not path.lower().endswith(".gz") and os.fstat(stream.fileno()).st_size > (
            options.max_bytes
        ):
            raise InputError(path, f"larger than the {options.max_bytes}-byte limit (--max-bytes)")
        try:
            raw = _read_limited(stream, path, options.max_bytes)
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    record = _file_record(path, raw, fmt, record_id, report)
    report.records_in += 1
    yield record


def record_path(record: Record) -> Path | None:
    source = record.get("source") or {}
    path = source.get("path")
    return Path(path) if isinstance(path, str) and path != _STDIN_NAME else None
