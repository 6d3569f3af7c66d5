"""Writing JSONL: stdout, or a file written atomically (temporary file, then rename)."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from newsclean.errors import NewscleanError
from newsclean.record import dumps, select


class Projected(io.TextIOBase):
    """Write JSONL lines onto ``out`` with only some of their fields (``--fields``,
    ``--drop``): each whole line is parsed and written again without the others."""

    def __init__(self, out: IO[str], fields: tuple[str, ...], drop: tuple[str, ...]):
        self._out, self._fields, self._drop = out, fields, drop
        self._partial = ""

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            if line:
                self._out.write(dumps(select(json.loads(line), self._fields, self._drop)))
            self._out.write("\n")
        return len(text)

    def flush(self) -> None:
        self._out.flush()


@contextlib.contextmanager
def projected(
    path: str | None, fields: tuple[str, ...] = (), drop: tuple[str, ...] = ()
) -> Iterator[IO[str]]:
    """:func:`open_output`, writing only the fields chosen (all when none are)."""
    with open_output(path) as out:
        if not fields and not drop:
            yield out
            return
        stream = Projected(out, fields, drop)
        yield stream  # type: ignore[misc]
        if stream._partial:
            stream.write("\n")


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """A text stream for the output. ``None`` or ``-`` is stdout.

    A named file appears only when the block ends without an exception, so an
    interrupted run never leaves half a file; a name ending in ``.gz`` is gzipped
    with a fixed header (no time stamp) so the bytes are the same run after run.
    """
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    name = path
    if _not_a_regular_file(name):
        # /dev/stderr, a FIFO, a terminal: written in place. Renaming a temporary
        # file over it would replace the device (or the file behind /dev/stdout).
        with _writer(_create(path, lambda: open(name, "ab")), path) as text:
            yield text
        return
    # through a symlink to a file, the file is replaced and the link stays
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    fd, tmp = _create(path, lambda: _temporary(folder, path))
    try:
        with _writer(os.fdopen(fd, "wb"), path) as text:
            yield text
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


T = TypeVar("T")


def _create(path: str, make: Callable[[], T]) -> T:
    try:
        return make()
    except OSError as exc:
        raise NewscleanError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _temporary(folder: str, path: str) -> tuple[int, str]:
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".newsclean-", suffix=".part", dir=folder)
    # mkstemp makes it private (0600); the output gets the mode a plain
    # `> file` would give: the old file's, or 0666 less the umask
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)
    return fd, tmp


def _not_a_regular_file(path: str) -> bool:
    if os.path.abspath(path).startswith(("/dev/", "/proc/")):
        return True  # /dev/stdout is a file when stdout is redirected to one
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # not there yet: it will be a new file


@contextlib.contextmanager
def _writer(raw: IO[bytes], path: str) -> Iterator[IO[str]]:
    """UTF-8 text onto ``raw``, gzipped with a fixed header when ``path`` ends in .gz."""
    with raw:
        binary: Any = raw
        if path.endswith(".gz"):
            binary = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
        with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
            yield text
        if binary is not raw:
            binary.close()
