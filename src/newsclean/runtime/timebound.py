"""A time limit on one per-article operation (issue #9).

One pathological article (a regex that backtracks for minutes, a page that makes
a parser crawl) must become a reject with its reason, not a hung nightly job.

Two mechanisms, chosen per call:

* In the main thread of a process (the sequential runner, each worker of the
  local process pool) a ``setitimer(ITIMER_REAL)`` alarm raises
  :class:`Timeout` from the SIGALRM handler: one system call to arm, one to disarm.
* Elsewhere (Dask runs tasks in worker threads, where no signal can be delivered)
  a single watchdog thread per process injects :class:`Timeout` into the thread
  that overran with ``PyThreadState_SetAsyncExc``.

Both interrupt Python code only: the interpreter checks for them between
bytecodes, so a call that stays inside C for its whole duration (one huge
``re`` match on some versions, an lxml parse) is interrupted when it returns to
Python. That is enough for the stage code newsclean writes, which is Python
that loops over lines and paragraphs; it is documented as the limit of the bound.
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import itertools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any


class Timeout(BaseException):
    """Raised inside an operation that overran its limit.

    A ``BaseException`` so a stage's ``except Exception`` cannot swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout()


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Watchdog:
    """One daemon thread that fires deadlines of other threads, earliest first."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, int]] = []
        self._live: set[int] = set()
        self._fired: set[int] = set()
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        with self._lock:
            token = next(self._ids)
            heapq.heappush(self._heap, (time.monotonic() + seconds, token, threading.get_ident()))
            self._live.add(token)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="newsclean-timeout")
                self._thread.daemon = True
                self._thread.start()
            self._lock.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Cancel ``token``; True if it had already fired."""
        with self._lock:
            self._live.discard(token)
            fired = token in self._fired
            self._fired.discard(token)
            if fired:
                # The exception may still be pending (not yet raised): clear it so
                # it cannot surface in code after the bounded block.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(threading.get_ident()), None
                )
            return fired

    def _run(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._lock.wait()
                    continue
                deadline, token, thread = self._heap[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._lock.wait(delay)
                    continue
                heapq.heappop(self._heap)
                self._live.discard(token)
                self._fired.add(token)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread), ctypes.py_object(Timeout)
                )


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def _injected(seconds: float) -> Iterator[None]:
    token = _WATCHDOG.arm(seconds)
    try:
        yield
    except Timeout:
        _WATCHDOG.disarm(token)
        raise
    if _WATCHDOG.disarm(token):
        # fired just as the block finished: the work is done, but late
        raise Timeout()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Timeout` in the block if it runs longer than ``seconds``.

    ``None`` or ``0`` means no limit. Not reentrant: bound the outermost
    per-article call only.
    """
    if not seconds or seconds <= 0:
        yield
        return
    in_main = threading.current_thread() is threading.main_thread()
    bound = _alarm if in_main and hasattr(signal, "setitimer") else _injected
    with bound(seconds):
        yield


#: chunk_alarm has SIGALRM raising Timeout for a whole chunk: each operation
#: then only arms and disarms the timer (two system calls), instead of a
#: time_limit block that also swaps the handler (a fifth of the runner's own
#: cost on short text articles)
_ALARM_READY = False


@contextlib.contextmanager
def chunk_alarm(seconds: float) -> Iterator[None]:
    """SIGALRM raising :class:`Timeout` while a chunk runs, where that works:
    the main thread (-j 1, pool workers); Dask's worker threads use
    :func:`time_limit`'s watchdog."""
    global _ALARM_READY
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or _ALARM_READY:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _ALARM_READY = True
    try:
        yield
    finally:
        _ALARM_READY = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded(seconds: float, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, raising :class:`Timeout` past ``seconds`` (0: no limit)."""
    if _ALARM_READY:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    with time_limit(seconds):
        return fn(*args)
