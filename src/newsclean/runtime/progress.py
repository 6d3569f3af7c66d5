"""A one-line progress bar on stderr: articles done, rate, time left.

Drawn only when stderr is a terminal (the CLI decides), at most a few times a
second, so it costs nothing measurable. With batch stages a run has several
phases (each batch stage needs every article before any can go on); the bar
says which phase it is in, and the time left is known once the first phase
has counted the articles.
"""

from __future__ import annotations

import time
from typing import IO, Protocol


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Bar:
    """The bar. Nothing is drawn in the first ``after`` seconds of the run: a run
    that ends sooner shows only its summary."""

    def __init__(self, stream: IO[str], every: float = 0.2, after: float = 1.0):
        self._stream = stream
        self._every = every
        self._quiet_until = time.monotonic() + after
        self._label = ""
        self._expected: int | None = None
        self._done = 0
        self._start = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def phase(self, number: int, total: int, expected: int | None) -> None:
        self._label = f"phase {number}/{total} " if total > 1 else ""
        self._expected = expected
        self._done = 0
        self._start = time.monotonic()
        self._draw(force=True)

    def advance(self, records: int) -> None:
        self._done += records
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if now < self._quiet_until or (not force and now - self._drawn < self._every):
            return
        self._drawn = now
        elapsed = max(now - self._start, 1e-9)
        rate = self._done / elapsed
        text = f"newsclean: {self._label}{self._done:,} articles, {rate:,.0f}/s"
        if self._expected:
            share = min(1.0, self._done / self._expected)
            filled = int(share * 20)
            left = (self._expected - self._done) / rate if rate > 0 else 0.0
            text = (
                f"newsclean: {self._label}[{'#' * filled}{'.' * (20 - filled)}] "
                f"{self._done:,}/{self._expected:,} articles, {rate:,.0f}/s, "
                f"{_clock(left)} left"
            )
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self._stream.write("\r" + text + " " * pad)
        self._stream.flush()

    def close(self) -> None:
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0


class Progress(Protocol):
    """What the engine reports progress to."""

    def phase(self, number: int, total: int, expected: int | None) -> None: ...
    def advance(self, records: int) -> None: ...
    def close(self) -> None: ...


class NoBar:
    def phase(self, number: int, total: int, expected: int | None) -> None:
        return None

    def advance(self, records: int) -> None:
        return None

    def close(self) -> None:
        return None


def make_progress(enabled: bool, stream: IO[str]) -> Bar | NoBar:
    return Bar(stream) if enabled else NoBar()
