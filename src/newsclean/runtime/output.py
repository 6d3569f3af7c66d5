"""Writing JSONL: stdout, or a file written atomically (temporary file, then rename).

Every failure to write (no space, a read-only file system, no permission,
``/dev/full``) is an :class:`OutputError` naming the path: one line and exit 1
from the CLI, never a traceback, and no half-written file left behind.

The temporary file is ``.newsclean-<pid>.<host>-<random>.part`` beside the
output: a run killed with SIGKILL has no chance to remove it, so a later run
writing to the same folder removes the ones whose process is gone (of this
machine only: another machine's pid says nothing here).
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import io
import json
import os
import re
import socket
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


STDOUT = "<stdout>"


class OutputError(NewscleanError):
    """Writing ``path`` failed: ``path: cannot write: reason``."""

    def __init__(self, path: str, reason: str):
        self.path = path
        super().__init__(f"{path}: cannot write: {reason}")


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """A text stream for the output. ``None`` or ``-`` is stdout.

    A named file appears only when the block ends without an exception, so an
    interrupted run never leaves half a file; a name ending in ``.gz`` is gzipped
    with a fixed header (no time stamp) so the bytes are the same run after run.
    """
    if path is None or path == "-":
        guarded = _GuardedText(sys.stdout, STDOUT)
        yield guarded  # type: ignore[misc]
        guarded.flush()
        return
    if not path:
        raise OutputError("''", "empty file name")
    name = path
    if _not_a_regular_file(name):
        # /dev/stderr, a FIFO, a terminal: written in place. Renaming a temporary
        # file over it would replace the device (or the file behind /dev/stdout).
        fd = _create(path, lambda: os.open(name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666))
        with _writer(io.BufferedWriter(_GuardedFile(fd, "wb", shown=path)), path) as text:
            yield text
        return
    # through a symlink to a file, the file is replaced and the link stays
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    fd, tmp = _create(path, lambda: _temporary(folder, path))
    try:
        with _writer(io.BufferedWriter(_GuardedFile(fd, "wb", shown=path)), path) as text:
            yield text
        _create(path, lambda: os.replace(tmp, path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


T = TypeVar("T")


def _create(path: str, make: Callable[[], T]) -> T:
    try:
        return make()
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from exc


_PART = re.compile(r"\.newsclean-(\d+)\.([0-9a-f]{8})-[A-Za-z0-9_]+\.part")


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def sweep_parts(folder: str) -> int:
    """Remove the temporary outputs in ``folder`` left by runs of this machine
    that are gone (killed with SIGKILL); return how many."""
    removed = 0
    host = _host()
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            found = _PART.fullmatch(name)
            if found is None or found.group(2) != host or _alive(int(found.group(1))):
                continue
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's
    return True


def _temporary(folder: str, path: str) -> tuple[int, str]:
    os.makedirs(folder, exist_ok=True)
    sweep_parts(folder)
    prefix = f".newsclean-{os.getpid()}.{_host()}-"
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=folder)
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


class _GuardedFile(io.FileIO):
    """A file whose write failures say which file (the text and gzip layers
    above it only ever see an :class:`OutputError`)."""

    def __init__(self, fd: int, mode: str, shown: str):
        super().__init__(fd, mode)
        self.shown = shown

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.shown, exc.strerror or str(exc)) from exc


class _GuardedText:
    """stdout, with its write failures (``> /dev/full``) said the same way."""

    def __init__(self, stream: IO[str], shown: str):
        self._stream = stream
        self._shown = shown

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._shown, exc.strerror or str(exc)) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._shown, exc.strerror or str(exc)) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


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


def clash(outputs: list[tuple[str, str]], inputs: list[str]) -> tuple[str, str] | None:
    """(option, why) when two ``outputs`` (option, path) are one file, or one is
    an input (a named file, a file a glob matches, or a file in a folder given
    as input that its walk reads); None when all is well. Nothing is read: the
    files are compared by identity (device and inode, or the resolved path of
    one not made yet). stdout and devices (``/dev/null``) may be shared."""
    from newsclean.runtime.ingest import is_article_name

    seen: dict[object, str] = {}
    for option, path in outputs:
        if path == "-" or _not_a_regular_file(path):
            continue
        key = _identity(path)
        if key in seen:
            return option, f"{path} is also {seen[key]}: two outputs cannot share a file"
        seen[key] = f"the {option} file"
    for given in inputs:
        for found in glob.glob(given, recursive=True) if glob.has_magic(given) else [given]:
            if found == "-":
                continue
            if os.path.isdir(found):
                folder = os.path.realpath(found) + os.sep
                for option, path in outputs:
                    real = os.path.realpath(path)
                    # (one not made yet is written once the walk is over)
                    if real.startswith(folder) and is_article_name(real) and os.path.exists(real):
                        return option, (
                            f"{path} is inside the input folder {found}: "
                            "it would be read as an input"
                        )
                continue
            key = _identity(found)
            for option, path in outputs:
                if path != "-" and _identity(path) == key:
                    return option, f"{path} is an input: it would be replaced"
    return None


def _identity(path: str) -> object:
    try:
        info = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (info.st_dev, info.st_ino)
