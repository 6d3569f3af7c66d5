"""Writing JSONL: stdout, or a file written atomically (temporary file, then rename)."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO, Any


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
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".newsclean-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as raw:
            binary: Any = raw
            if path.endswith(".gz"):
                binary = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
                yield text
            if binary is not raw:
                binary.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
