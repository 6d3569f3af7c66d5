"""Where the last phase's lines go, in input order."""

from __future__ import annotations

from typing import IO, Protocol

from newsclean.runtime.report import Report


class Sink(Protocol):
    """Where the last phase's results go, in input order."""

    def record(self, index: int, line: str) -> None: ...


class StreamSink:
    """The last phase straight to a text stream (no --state)."""

    def __init__(self, out: IO[str], report: Report):
        self._out = out
        self._report = report

    def record(self, index: int, line: str) -> None:
        self._out.write(line + "\n")
        self._report.records_out += 1


class CountingSink:
    """Only counts (--state: the lines are in the state file and written from there)."""

    def __init__(self, report: Report):
        self._report = report

    def record(self, index: int, line: str) -> None:
        self._report.records_out += 1
