"""Article files, folders, globs and stdin into records.

Supported: ``.txt``, ``.html``/``.htm``, ``.jsonl``/``.json`` (records with ``text``
or ``html``), each optionally ``.gz``. Anything else named explicitly is sniffed.

Hostile input is refused with its reason, never a crash or a hang (tests/test_hostile.py):

* every read is bounded by ``max_bytes`` (an article, a JSONL line, a JSON array
  file, a run of blank lines), so a gzip bomb stops after ``max_bytes`` inflated
  bytes; anything up to it is processed, a 50 MB single line included;
* an empty or blank file, binary data, an HTML tag with thousands of attributes
  (libxml2 would take minutes on it), a JSONL line that is not a record fitting
  the schema (invalid JSON, NaN, nesting too deep, ``text`` not a string, a
  field of the wrong type), any read error, and whatever a folder walk cannot
  read (a sub-folder, a broken link, a FIFO or other non-regular file) is a
  located :class:`InputError`: it stops the run, or with ``skip_invalid`` it is
  an accounted reject (``records_in`` = out + rejected);
* folder walks follow symlinked folders and read each real folder once (a loop
  warns); empty stdin is no records; lone surrogates (JSON escapes, undecodable
  file names) become U+FFFD so the output is always valid UTF-8.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import IO, Any, Literal, NamedTuple

from newsclean.errors import InputError
from newsclean.record import Record
from newsclean.runtime.checks import GZIP_ERRORS, html_problem, read_limited
from newsclean.runtime.jsonl import records_of_jsonl
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report
from newsclean.text.decode import decode, looks_binary, printable_path

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


class Input(NamedTuple):
    """One input to read: a file (or ``-``), the folder it was found in, and
    the problem that keeps it from being read, if a folder walk met one."""

    path: str
    root: str | None = None
    problem: InputError | None = None


def expand(paths: Iterable[str], report: Report) -> Iterator[Input]:
    """Each input, folders recursively and sorted, globs expanded and sorted.
    ``-`` stands for stdin."""
    for given in paths:
        if given == STDIN:
            yield Input(STDIN)
        elif os.path.isdir(given):
            yield from _walk(given, report)
        elif os.path.exists(given) or os.path.islink(given):
            yield Input(given)
        elif glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                raise InputError(given, "no file matches this pattern")
            yield from expand(matches, report)
        else:
            raise InputError(given, "no such file or folder")


def _walk(root: str, report: Report) -> Iterator[Input]:
    """Every article file below ``root``, sorted as paths (like ``find | sort``).

    Symlinked folders are followed, but each real folder is read once, so a
    symlink loop ends with a warning. A folder that cannot be listed becomes an
    :class:`Input` with its problem: the caller accounts for it.

    Lazy, depth first with each folder's names in order, which is the same
    order as sorting every path: only the names of the folders on the way down
    are held, never the whole drop (a drop of millions of files is walked in
    the memory of its largest folder).
    """
    seen: dict[tuple[int, int], str] = {}
    skipped = 0

    def listing(folder: str) -> list[str] | Input | None:
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                report.warn(f"{folder}: same folder as {seen[key]} (symlink loop?): not read again")
                return None
            seen[key] = folder
            with os.scandir(folder) as entries:
                return sorted(entry.name for entry in entries)
        except OSError as exc:
            problem = InputError(folder, f"cannot read folder: {exc.strerror or exc}")
            return Input(folder, root, problem)

    stack: list[tuple[str, Iterator[str]]] = []

    def enter(folder: str) -> Iterator[Input]:
        names = listing(folder)
        if isinstance(names, Input):
            yield names
        elif names is not None:
            stack.append((folder, iter(names)))

    yield from enter(root)
    while stack:
        folder, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path):  # follows a symlink: a linked folder is read too
            yield from enter(path)
        elif _split_ext(name)[2] is None:
            skipped += 1
        else:
            yield Input(path, root)
    if skipped:
        report.warn(f"{root}: skipped {skipped} files that are not .txt/.html/.jsonl")


def _check_found_file(path: str) -> None:
    """A file met in a folder walk must be a regular file: opening a FIFO would
    hang the run, a device never ends. (A FIFO named on the command line is read:
    that is how ``<(...)`` works.)"""
    try:
        info = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            raise InputError(path, f"broken symbolic link ({exc.strerror or exc})") from exc
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "FIFO"
            if stat.S_ISFIFO(info.st_mode)
            else "socket"
            if stat.S_ISSOCK(info.st_mode)
            else "device"
        )
        raise InputError(path, f"not a regular file ({kind}): not read")


def _sniff(head: bytes) -> Format:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "jsonl"
    if stripped[:1] == b"<":
        return "html"
    return "text"


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
    if not decoded.text.strip():
        # nothing to clean: an article that is not there is a bad input, not a record
        raise InputError(path, "empty file (no text)")
    problem = html_problem(decoded.text) if fmt == "html" else None
    if problem:
        raise InputError(path, problem)
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
    message = decoded.warning()
    if message:
        report.warn(f"{path}: {message}")
        record["warnings"] = [message]
    return record


def article_record(content: str, record_id: str, path: str, report: Report) -> Record:
    """The record of an article given as a string (the Python API): the one a file
    holding ``content`` (UTF-8) would give, HTML when it starts with ``<``."""
    raw = content.encode("utf-8", "surrogatepass")
    return _file_record(path, raw, _sniff(raw[:4096]), record_id, report)


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
    for found in expand(paths, report):
        yield from read_input(found, options, report, stdin, seen)


def read_input(
    found: Input,
    options: IngestOptions,
    report: Report,
    stdin: IO[bytes] | None,
    seen: MutableMapping[str, str],
) -> Iterator[Record]:
    """The records of one input, ids made unique against ``seen`` (updated)."""
    records = _records_of(found, options, report, stdin)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (InputError, OSError) as error:
            # the safety net: any read error is a located input error, not a traceback
            exc = (
                error
                if isinstance(error, InputError)
                else InputError(
                    printable_path(found.path), f"cannot read: {error.strerror or error}"
                )
            )
            if not options.skip_invalid:
                if exc is error:
                    raise
                raise exc from error
            # a file that failed as a whole (or the unread rest of one) is one input
            report.records_in += 1
            report.reject(exc.where, exc.reason, exc.raw)
            return
        try:
            yield _unique(record, seen, options)
        except InputError as exc:
            if not options.skip_invalid:
                raise
            report.reject(exc.where, exc.reason, exc.raw)


def _unique(record: Record, seen: MutableMapping[str, str], options: IngestOptions) -> Record:
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


def _records_of_stdin(
    stdin: IO[bytes] | None, options: IngestOptions, report: Report
) -> Iterator[Record]:
    if stdin is None:
        raise InputError(_STDIN_NAME, "no standard input")
    try:
        head = stdin.read(4096)
    except OSError as exc:
        raise InputError(_STDIN_NAME, f"cannot read: {exc.strerror or exc}") from exc
    if not head:
        return  # nothing piped in: no records (``ingest empty | extract`` is empty too)
    stream: Any = _Prepended(head, stdin)
    if head.startswith(b"\x1f\x8b"):
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
        try:
            head = stream.peek(4096)[:4096]
        except GZIP_ERRORS as exc:
            raise InputError(_STDIN_NAME, f"corrupt or truncated gzip ({exc})") from exc
    fmt = _sniff(head)
    if fmt == "jsonl":
        yield from records_of_jsonl(stream, _STDIN_NAME, "stdin", options, report)
        return
    raw = read_limited(stream, _STDIN_NAME, options.max_bytes)
    record = _file_record(_STDIN_NAME, raw, fmt, "stdin", report)
    report.records_in += 1
    yield record


def _peek(stream: Any, shown: str) -> bytes:
    try:
        return bytes(stream.peek(4096)[:4096]) if hasattr(stream, "peek") else b""
    except GZIP_ERRORS as exc:
        raise InputError(shown, f"corrupt or truncated gzip ({exc})") from exc
    except OSError as exc:  # EIO: /proc/self/mem, a failing disk
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from exc


def _records_of(
    found: Input,
    options: IngestOptions,
    report: Report,
    stdin: IO[bytes] | None,
) -> Iterator[Record]:
    if found.path == STDIN:
        yield from _records_of_stdin(stdin, options, report)
        return
    if found.problem is not None:
        raise found.problem
    path = found.path
    shown = printable_path(path)  # undecodable bytes in a name must not reach the output
    if os.path.isdir(path):
        raise InputError(shown, "is a folder inside a folder walk (symlink loop?)")
    if found.root is not None:
        _check_found_file(path)
    stem, _, known = _split_ext(shown)
    record_id = _id_for(shown, found.root and printable_path(found.root), options)
    with _open(path) as stream:
        head = _peek(stream, shown)
        fmt = known or _sniff(head)
        if fmt == "jsonl":
            yield from records_of_jsonl(stream, shown, stem, options, report)
            return
        if not path.lower().endswith(".gz") and os.fstat(stream.fileno()).st_size > (
            options.max_bytes
        ):
            raise InputError(shown, f"larger than the {options.max_bytes}-byte limit (--max-bytes)")
        raw = read_limited(stream, shown, options.max_bytes)
    record = _file_record(shown, raw, fmt, record_id, report)
    report.records_in += 1
    yield record


def single_article(found: Input, options: IngestOptions) -> tuple[str, str] | None:
    """(id, shown path) of an input that is one article file (``.txt``/``.html``,
    maybe gzipped) whose id follows from its name alone, as :func:`read_input`
    gives it when the id is not taken yet; ``None`` for anything else (stdin,
    JSONL, a name that must be sniffed, an input with a problem).

    Such a file can be read by whoever processes it (a pool worker): the
    reader knows its id without opening it.
    """
    if found.path == STDIN or found.problem is not None:
        return None
    shown = printable_path(found.path)
    if _split_ext(shown)[2] not in ("text", "html"):
        return None
    return _id_for(shown, found.root and printable_path(found.root), options), shown


def claim_article(found: Input, options: IngestOptions, seen: IdRegistry) -> str | None:
    """The id of an article file that :func:`single_article` names, set aside in
    ``seen`` if it is free (as :func:`read_input` would take it); None when the
    file must be read to know its id, or the id is taken (the read decides then
    between an error, a suffix or nothing)."""
    article = single_article(found, options)
    if article is not None and seen.claim(*article):
        return article[0]
    return None


class IdRegistry(MutableMapping[str, str]):
    """The ids a run has given out (id -> where), for the duplicate check,
    kept in a temporary SQLite file rather than a dict: it is the one thing the
    client must remember about every article, and on disk it does not make the
    client's memory grow with the number of articles."""

    def __init__(self, initial: Mapping[str, str] | None = None):
        import sqlite3

        self._db = sqlite3.connect("", isolation_level=None)  # a private temporary file
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID")
        if initial:
            self._db.executemany("INSERT INTO ids VALUES (?, ?)", initial.items())

    def __getitem__(self, key: str) -> str:
        row = self._db.execute("SELECT path FROM ids WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __contains__(self, key: object) -> bool:
        found = self._db.execute("SELECT 1 FROM ids WHERE id = ?", (key,)).fetchone()
        return found is not None

    def __setitem__(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO ids VALUES (?, ?)", (key, value))

    def __delitem__(self, key: str) -> None:
        self._db.execute("DELETE FROM ids WHERE id = ?", (key,))

    def claim(self, key: str, value: str) -> bool:
        """Take ``key`` for ``value`` if it is free (one statement, not two)."""
        cursor = self._db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (key, value))
        return cursor.rowcount == 1

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT id FROM ids ORDER BY id"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM ids").fetchone()[0])

    def close(self) -> None:
        self._db.close()
