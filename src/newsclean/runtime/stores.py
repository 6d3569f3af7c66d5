"""Where the results of a phase wait for the next: a spill file, or the
``--state`` database (:class:`state.State` is the other :class:`Store`)."""

from __future__ import annotations

import os
import tempfile
from typing import IO, Protocol

from newsclean.runtime.wire import Done, pack, unpack


class Store(Protocol):
    def get(self, phase: int, index: int) -> Done | None: ...
    def put(self, phase: int, index: int, done: Done) -> None: ...
    def drop(self, phase: int) -> None: ...


class SpillStore:
    """Results in an anonymous temporary file: memory stays flat, nothing survives
    the process (without ``--state`` an interrupted run starts over)."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._where: dict[tuple[int, int], tuple[int, int]] = {}

    def get(self, phase: int, index: int) -> Done | None:
        at = self._where.get((phase, index))
        if at is None:
            return None
        self._file.seek(at[0])
        return unpack(self._file.read(at[1]))

    def put(self, phase: int, index: int, done: Done) -> None:
        blob = pack(done)
        self._file.seek(0, os.SEEK_END)
        self._where[(phase, index)] = (self._file.tell(), len(blob))
        self._file.write(blob)

    def drop(self, phase: int) -> None:
        for key in [k for k in self._where if k[0] == phase]:
            del self._where[key]

    def close(self) -> None:
        self._file.close()
