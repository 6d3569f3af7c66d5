"""The worker's side of a run: one chunk through one phase, every operation
under the time limit, and memory handed back as the worker goes.

Every per-article operation runs under the time limit: an article that
overruns becomes a reject with its reason and the batch goes on. What holds where:

- ``-j 1`` (this process) and the local pool: a SIGALRM timer in the main
  thread stops Python code (including ``re`` matching) at the limit (the
  handler is set once per chunk; each operation arms and disarms the timer).
- the local pool also watches every worker's :class:`Heartbeat`: a worker still
  in one operation ``grace`` seconds past the limit (stuck in C, where no signal
  reaches) is killed, its article rejected with the same reason, the pool
  rebuilt and the chunks in flight sent again. ``-j 1`` has no such backstop.
- Dask runs tasks in worker threads, where no signal arrives: a watchdog
  thread raises the timeout in the task's thread (``PyThreadState_SetAsyncExc``),
  which stops Python code too, but nothing stops a task stuck in C there:
  restarting that worker is the only recourse.

Workers never see the report: a reject travels back as a result and is
accounted by the client, in input order, so the rejects file is the same for
any number of workers too.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from newsclean.errors import NewscleanError, Reject
from newsclean.record import Record, dumps
from newsclean.runtime.phase import Refused, apply_phase, where
from newsclean.runtime.reader import read_files
from newsclean.runtime.timebound import Timeout, bounded, chunk_alarm
from newsclean.runtime.wire import (
    ArticleFile,
    Chunk,
    Done,
    Finished,
    Item,
    Packed,
    PhaseSpec,
    Rejected,
    Result,
    Row,
    article_chars,
    pack_records,
    unpack_records,
)


class Heartbeat:
    """What a pool worker is doing, in memory shared with the client: when its
    current operation started (0: idle), on which chunk, item and operation.

    The alarm stops Python code; a worker stuck where no signal reaches (deep in
    C) still shows its start time here, and the client stops that worker and
    rejects the item. Outside a pool worker it records nothing.
    """

    def __init__(self) -> None:
        self.slot: int | None = None
        self.shared: Any = None
        self.position = 0
        self.ordinal = 0

    def start(self) -> None:
        if self.slot is not None:
            row = self.shared[self.slot]
            row[1], row[2] = float(self.position), float(self.ordinal)
            row[0] = time.time()

    def stop(self) -> None:
        if self.slot is not None:
            self.shared[self.slot][0] = 0.0


BEAT = Heartbeat()


def _timeout_reason(name: str, seconds: float) -> str:
    return f"timeout: {name} took more than {seconds:g} s"


def _caller(spec: PhaseSpec) -> Callable[..., Any]:
    """How the worker calls each operation of a phase: under the time limit,
    with its heartbeat, any failure of one article turned into its reject."""

    def call(ordinal: int, name: str, fn: Callable[..., Any], *args: Any) -> Any:
        BEAT.ordinal = ordinal
        BEAT.start()
        try:
            return bounded(spec.timeout, fn, *args)
        except Timeout:
            raise Reject(_timeout_reason(name, spec.timeout)) from None
        except NewscleanError:
            raise  # a Reject, or a user's mistake (a rules file that cannot be read): its message
        except Exception as exc:
            # a stage bug met on one article (#9: nothing crashes): that article is
            # rejected with the error, the batch goes on, the exit code says so
            reason = f"error: {name} failed: {type(exc).__name__}: {str(exc)[:300]}"
            raise Reject(reason) from None
        finally:
            BEAT.stop()

    return call


def _rejected(index: int, record: Record, exc: Reject) -> Rejected:
    return Rejected(index, where(record), exc.reason, record, exc.filtered)


def run_chunk(spec: PhaseSpec, chunk: Chunk, hung: dict[int, int] | None = None) -> Done:
    """One task: the phase over each record of ``chunk``, in order.

    ``hung`` maps the position of an item that stalled a worker beyond the time
    bound (stuck where no signal reaches) to the ordinal of the operation: such
    an item is rejected with the same reason as one the alarm stopped.
    """
    with chunk_alarm(spec.timeout):
        done = _run_chunk(spec, chunk, hung or {})
    _relief.after(done.seen)
    return done


def _items(chunk: Chunk) -> tuple[list[Item], Done]:
    """The chunk's items with its records unpacked or its files read, and a
    Done that already holds what reading met."""
    done = Done([])
    if isinstance(chunk, Packed):
        records = unpack_records(chunk.records)
        return [Row(i, r) for i, r in zip(chunk.indexes, records, strict=True)], done
    if any(isinstance(item, ArticleFile) for item in chunk):
        # (``hung`` positions are those of the chunk as read: reading is the same
        # every time the chunk is sent)
        items, reading, done.failed = read_files(chunk)
        done.read_in, done.notes = reading.records_in, reading.notes
        return items, done
    return chunk, done


def _run_chunk(spec: PhaseSpec, chunk: Chunk, hung: dict[int, int]) -> Done:
    items, done = _items(chunk)
    call = _caller(spec)
    out: list[Result] = []
    going_on: list[Record] = []
    for position, item in enumerate(items):
        if isinstance(item, Rejected):  # a reader's, in its place in the stream
            out.append(item)
            continue
        assert isinstance(item, Row)  # files are read by now
        index, record = item
        done.seen += article_chars(item)
        if position in hung:
            name = spec.phase.names()[hung[position]]
            out.append(_rejected(index, record, Reject(_timeout_reason(name, spec.timeout))))
            continue
        BEAT.position = position
        try:
            record, part = apply_phase(spec.phase, record, call)
        except Refused as refused:
            out.append(_rejected(index, refused.record, refused.reject))
            continue
        removed = len(record.get("removed") or ())
        if spec.final:
            out.append(Finished(index, dumps(record), part, removed))
        else:
            out.append(Finished(index, None, part, removed))
            going_on.append(record)
    done.results = out
    done.records = pack_records(going_on) if going_on else b""
    return done


class _Relief:
    """Every RELIEF_CHARS characters of articles a process has worked on, it
    empties its per-input memos (:func:`memo.clear_memos`) and hands the heap's
    free pages back to the system (glibc ``malloc_trim``).

    Without it a pool worker's memory grows with the variety of pages it has
    met (full memos, a heap fragmented by large pages): on the WCXB HTML pages
    the larger worker of ``clean -j 2`` went from 194 MB after 1,000 pages to
    228 MB after 3,000. Counted in characters, not articles, so it comes often
    on HTML pages (about every 180) and rarely on short text articles, where
    the memos earn their keep and memory is small.
    The memos are pure, so the output is the same."""

    def __init__(self) -> None:
        self.chars = 0
        self._trim: Callable[[int], int] | None = None
        self._looked = False

    def after(self, chars: int) -> None:
        self.chars += chars
        if self.chars < RELIEF_CHARS:
            return
        self.chars = 0
        from newsclean.memo import clear_memos

        clear_memos()
        if not self._looked:
            self._looked = True
            with contextlib.suppress(OSError, AttributeError):
                import ctypes

                self._trim = ctypes.CDLL(None).malloc_trim  # glibc only
        if self._trim is not None:
            self._trim(0)


#: characters of article text and HTML between two reliefs of a process
RELIEF_CHARS = 32 * 1024 * 1024

_relief = _Relief()
