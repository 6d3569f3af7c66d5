"""Running a chain of stages over a stream of records: in this process, in a pool
of worker processes, or on a Dask cluster, with the same output byte for byte.

The chain is cut into *phases* at its batch stages (``pipeline.segments``). A
phase applies, to each record: the previous batch stage's ``apply`` with its
model, the per-article stages, and the next batch stage's ``map``. Records
travel in *chunks* (a fixed number of records or bytes, so chunk boundaries
depend on the input only, never on ``-j`` or timing); a chunk is one task, so
the inter-process traffic is one round trip per chunk, not per article.

* The reader (ingest) runs in the calling process, but with a local pool (and
  inline) an article file (.txt/.html) is only named in the chunk: the worker
  reads it (:class:`Reader`), so the client's serial share stays small. Chunks go
  to the backend with at most a few chunks per worker in flight (memory stays
  bounded) and come back in input order.
* Before a pool forks, each stage's ``prepare`` loads what it would load on
  first use (language profiles), so the workers share one copy.
* Between the phases of a batch stage the results are spilled to a
  :class:`Store` (a temporary file, or the ``--state`` database, which is what
  makes an interrupted run resumable) and the summaries are reduced on the
  client, streamed from the store.
* Every per-article operation runs under :func:`timebound.time_limit`: an article
  that overruns becomes a reject with its reason and the batch goes on. What
  holds where:

  - ``-j 1`` (this process) and the local pool: a SIGALRM timer in the main
    thread stops Python code (including ``re`` matching) at the limit (the
    handler is set once per chunk; each operation arms and disarms the timer).
  - the local pool also watches every worker's heartbeat: a worker still in one
    operation ``grace`` seconds past the limit (stuck in C, where no signal
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
import gc
import itertools
import os
import pickle
import signal
import tempfile
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal, Protocol

from newsclean.errors import InputError, NewscleanError, Reject
from newsclean.record import Record, dumps
from newsclean.runtime.ingest import IngestOptions, Input, expand, read_input, single_article
from newsclean.runtime.pipeline import _where
from newsclean.runtime.progress import NoBar, Progress, make_progress
from newsclean.runtime.report import Report
from newsclean.runtime.timebound import Timeout, _on_alarm, time_limit
from newsclean.stages.base import AnyStage, BatchStage, Stage, segments

ExecutorName = Literal["local", "dask"]

#: a chunk ends at ExecOptions.chunk_records records, or once it holds this many
#: characters of text/html, whichever comes first
CHUNK_CHARS = 1024 * 1024


@dataclass(frozen=True)
class ExecOptions:
    """How a run executes.

    jobs: worker processes (local) or Dask worker processes (local cluster);
        1 runs everything in this process.
    executor: ``local`` (a process pool) or ``dask``.
    scheduler: a Dask scheduler address (``tcp://host:8786``); ``None`` starts a
        local cluster (or uses ``DASK_SCHEDULER_ADDRESS`` when set).
    timeout: seconds one article may spend in one stage; 0 means no limit.
    progress: draw a progress bar on stderr (the CLI sets it when that is a terminal).
    chunk_records: records per task. Chunks are cut by the input alone (this many
        records, or CHUNK_CHARS characters), so the output never depends on it.
    """

    jobs: int = 1
    executor: ExecutorName = "local"
    scheduler: str | None = None
    timeout: float = 30.0
    progress: bool = False
    chunk_records: int = 64


# --- items and results ---------------------------------------------------------
#
# A chunk of the first phase is a list of items. An item is ("r", input_index,
# record), an ingest reject travelling in its place in the stream: ("x",
# input_index, where, reason, payload, filtered), or an article file the worker
# reads itself: ("f", input_index, Input, IngestOptions, size) (see Reader: the
# client does not read, decode and pickle every article, the serial work that
# kept -j from scaling on cheap text articles). A result is ("r", input_index,
# line, part, removed_count) or the same reject tuple; ``line`` is the finished
# JSONL line in the last phase and None before it. input_index is the position
# of the input file in the run, so the state file can file every record under
# its input.
#
# Between phases the records travel packed (pickled and compressed, with LZ4,
# by the worker that made them): the client stores and forwards the bytes without ever
# unpacking them, so its share of the work stays small and -j scales.

Item = tuple[Any, ...]
Result = tuple[Any, ...]


@dataclass(frozen=True)
class Packed:
    """The records of a later phase's chunk: their input indexes, and the records
    themselves packed by the worker that made them."""

    indexes: list[int]
    records: bytes


Chunk = list[Item] | Packed


@dataclass
class Done:
    """What a chunk gives: one result per input item, and (before the last
    phase) the records that go on, packed, in the order of the "r" results.

    For the "f" items it read, a first-phase chunk also says what reading found:
    the positions of the files that gave no record (the reader takes back the
    id it set aside for them), the inputs counted and the warnings, which the
    client accounts in input order as if it had read them itself."""

    results: list[Result]
    records: bytes = b""
    failed: list[int] = field(default_factory=list)
    read_in: int = 0
    notes: list[str] = field(default_factory=list)
    #: characters of article (text and HTML) the chunk worked on
    seen: int = 0


#: the first bytes of an LZ4 frame (a zlib stream starts with 0x78)
_LZ4_MAGIC = b"\x04\x22\x4d\x18"


def pack_records(records: list[Record]) -> bytes:
    # LZ4: as small as zlib at level 1 on article records, for a fifth of the
    # CPU to compress and a tenth to decompress (zlib was a tenth of the CPU
    # of a text article, every record being packed twice and unpacked twice)
    import lz4.frame

    return bytes(lz4.frame.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)))


def unpack_records(blob: bytes) -> list[Record]:
    if not blob:
        return []
    if blob.startswith(_LZ4_MAGIC):
        import lz4.frame

        data = lz4.frame.decompress(blob)
    else:  # zlib: written by an earlier version (a --state file)
        data = zlib.decompress(blob)
    records: list[Record] = pickle.loads(data)
    return records


@dataclass(frozen=True)
class PhaseSpec:
    """Everything a worker needs for one phase; pickled once per phase."""

    pre: BatchStage | None
    model: Any
    run: tuple[Stage, ...]
    post: BatchStage | None
    #: last phase: records leave as finished JSONL lines (the client only writes)
    final: bool
    timeout: float


class _Heartbeat:
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


_BEAT = _Heartbeat()


#: run_chunk has SIGALRM raising Timeout for the whole chunk: each operation
#: only arms and disarms the timer (two system calls), instead of a time_limit
#: block that also swaps the handler (a fifth of the runner's own cost on short
#: text articles)
_ALARM_READY = False


@contextlib.contextmanager
def _alarm_handler(spec: PhaseSpec) -> Iterator[None]:
    """SIGALRM raising Timeout while a chunk runs, where that works: the main
    thread (-j 1, pool workers); Dask's worker threads use time_limit's watchdog."""
    global _ALARM_READY
    usable = (
        spec.timeout > 0
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


def _bounded(spec: PhaseSpec, name: str, fn: Callable[..., Any], *args: Any) -> Any:
    _BEAT.start()
    try:
        if _ALARM_READY:
            signal.setitimer(signal.ITIMER_REAL, spec.timeout)
            try:
                return fn(*args)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        with time_limit(spec.timeout):
            return fn(*args)
    except Timeout:
        raise Reject(f"timeout: {name} took more than {spec.timeout:g} s") from None
    except NewscleanError:
        raise  # a Reject, or a user's mistake (a rules file that cannot be read): its message
    except Exception as exc:
        # a stage bug met on one article (#9: nothing crashes): that article is
        # rejected with the error, the batch goes on, the exit code says so
        raise Reject(f"error: {name} failed: {type(exc).__name__}: {str(exc)[:300]}") from None
    finally:
        _BEAT.stop()


def _reject(kind_index: int, record: Record, exc: Reject) -> Result:
    where = f"{_where(record)} ({record.get('id')})"
    return ("x", kind_index, where, exc.reason, record, exc.filtered)


def _stage_names(spec: PhaseSpec) -> list[str]:
    """Names of the operations of a phase, by ordinal (pre, run..., post)."""
    return [
        spec.pre.name if spec.pre else "",
        *(s.name for s in spec.run),
        spec.post.name if spec.post else "",
    ]


class _QueueingReport(Report):
    """The reader's report: counts inputs, but holds its rejects so they travel
    in the record stream and are accounted in input order with the others."""

    def __init__(self, report: Report):
        super().__init__(stderr=report.stderr, quiet=report.quiet)
        self.queued: list[tuple[str, str, Any, bool]] = []

    def reject(self, where: str, reason: str, payload: Any = None, filtered: bool = False) -> None:
        self.queued.append((where, reason, payload, filtered))

    def drain(self, index: int) -> Iterator[Item]:
        """The rejects held so far, as items of input ``index``."""
        for where, reason, payload, filtered in self.queued:
            yield ("x", index, where, reason, payload, filtered)
        self.queued.clear()


class _ChunkReport(_QueueingReport):
    """What reading the "f" items of a chunk met, kept to travel back in the Done."""

    def __init__(self) -> None:
        super().__init__(Report(quiet=True))
        self.notes: list[str] = []

    def warn(self, message: str) -> None:
        self.notes.append(message)


def _read_files(chunk: list[Item]) -> tuple[list[Item], _ChunkReport, list[int]]:
    """The chunk with each "f" item read: its record, or the reject reading it
    gave (as :func:`read_items` would have put in the stream)."""
    reader = _ChunkReport()
    items: list[Item] = []
    failed: list[int] = []
    for position, item in enumerate(chunk):
        if item[0] != "f":
            items.append(item)
            continue
        _, index, found, options, _size = item
        # a fresh id map: the client checked the id is free (Reader)
        records = list(read_input(found, options, reader, None, {}))
        items.extend(reader.drain(index))
        items.extend(("r", index, record) for record in records)
        if not records:
            failed.append(position)
    return items, reader, failed


def run_chunk(spec: PhaseSpec, chunk: Chunk, hung: dict[int, int] | None = None) -> Done:
    """One task: the phase over each record of ``chunk``, in order.

    ``hung`` maps the position of an item that stalled a worker beyond the time
    bound (stuck where no signal reaches) to the ordinal of the operation: such
    an item is rejected with the same reason as one the alarm stopped.
    """
    with _alarm_handler(spec):
        done = _run_chunk(spec, chunk, hung)
    _relief.after(done.seen)
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

#: characters of article text and HTML a pool worker gets before it is replaced
RECYCLE_CHARS = 64 * 1024 * 1024


def _chunk_chars(chunk: Chunk) -> int:
    """About how many characters of articles a chunk holds (packed records
    count by their compressed size: a bound of the order, all it needs)."""
    if isinstance(chunk, Packed):
        return len(chunk.records)
    total = 0
    for item in chunk:
        if item[0] == "f":
            total += item[4]
        elif item[0] == "r":
            total += len(item[2].get("html") or "") + len(item[2].get("text") or "")
    return total


_relief = _Relief()


def _run_chunk(spec: PhaseSpec, chunk: Chunk, hung: dict[int, int] | None) -> Done:
    reading: _ChunkReport | None = None
    failed: list[int] = []
    if isinstance(chunk, Packed):
        records = unpack_records(chunk.records)
        chunk = [("r", i, r) for i, r in zip(chunk.indexes, records, strict=True)]
    elif any(item[0] == "f" for item in chunk):
        # (``hung`` positions are those of the chunk as read: reading is the same
        # every time the chunk is sent)
        chunk, reading, failed = _read_files(chunk)
    out: list[Result] = []
    going_on: list[Record] = []
    seen = 0
    for position, item in enumerate(chunk):
        if item[0] != "r":
            out.append(item)
            continue
        _, index, record = item
        seen += len(record.get("html") or "") + len(record.get("text") or "")
        if hung and position in hung:
            name = _stage_names(spec)[hung[position]]
            reason = f"timeout: {name} took more than {spec.timeout:g} s"
            out.append(_reject(index, record, Reject(reason)))
            continue
        _BEAT.position = position
        # Each guarded step reports the record it was given, as the sequential
        # runner does (pipeline.guarded).
        if spec.pre is not None:
            _BEAT.ordinal = 0
            try:
                record = _bounded(spec, spec.pre.name, spec.pre.apply, record, spec.model)
            except Reject as exc:
                out.append(_reject(index, record, exc))
                continue
        given = record
        try:
            for ordinal, stage in enumerate(spec.run, 1):
                _BEAT.ordinal = ordinal
                record = _bounded(spec, stage.name, stage.apply, record)
            part = None
            if spec.post is not None:
                _BEAT.ordinal = len(spec.run) + 1
                part = _bounded(spec, spec.post.name, spec.post.map, record)
        except Reject as exc:
            out.append(_reject(index, given, exc))
            continue
        removed = len(record.get("removed") or ())
        if spec.final:
            out.append(("r", index, dumps(record), part, removed))
        else:
            out.append(("r", index, None, part, removed))
            going_on.append(record)
    done = Done(out, pack_records(going_on) if going_on else b"", seen=seen)
    if reading is not None:
        done.failed, done.read_in, done.notes = failed, reading.records_in, reading.notes
    return done


# --- backends ------------------------------------------------------------------


class _Done:
    """A future that is already resolved."""

    def __init__(self, value: Any):
        self._value = value

    def result(self) -> Any:
        return self._value


class Backend(Protocol):
    window: int

    def bind(self, spec: PhaseSpec) -> Any: ...
    def submit(self, handle: Any, chunk: Chunk) -> Any: ...
    def close(self, abort: bool = False) -> None: ...


class InlineBackend:
    """Everything in this process (``-j 1``): no pickling, no processes."""

    window = 1

    def bind(self, spec: PhaseSpec) -> Any:
        return spec

    def submit(self, handle: Any, chunk: Chunk) -> Any:
        return _Done(run_chunk(handle, chunk))

    def close(self, abort: bool = False) -> None:
        return None


# The worker side of the process pool: each phase's spec is pickled to a file
# once and loaded by each worker the first time it meets a chunk of that phase,
# so a large batch model is not sent again with every chunk.
_WORKER_SPEC: tuple[str, PhaseSpec] | None = None


def _pool_init(shared: Any, pids: Any) -> None:
    import signal

    # Ctrl-C and kill are the client's to handle: it stops the pool and removes
    # the output. A worker forked from a client that turned SIGTERM into an
    # interrupt must die of it again, or stopping the pool would wait for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with pids.get_lock():
        slot = next(i for i, pid in enumerate(pids) if pid == 0)
        pids[slot] = os.getpid()
    _BEAT.slot, _BEAT.shared = slot, shared


def _pool_task(spec_path: str, chunk: Chunk, tag: int, hung: dict[int, int]) -> Done:
    global _WORKER_SPEC
    if _WORKER_SPEC is None or _WORKER_SPEC[0] != spec_path:
        with open(spec_path, "rb") as f:
            _WORKER_SPEC = (spec_path, pickle.load(f))
    if _BEAT.slot is not None:
        _BEAT.shared[_BEAT.slot][3] = float(tag)
    return run_chunk(_WORKER_SPEC[1], chunk, hung)


_SPEC_DIR = "newsclean-pool-"


def _sweep_spec_dirs() -> None:
    """Remove the phase-spec folders of runs that were killed (SIGKILL leaves
    no chance to clean up): their name holds the pid, and that pid is gone."""
    import shutil

    base = tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for name in os.listdir(base):
            if not name.startswith(_SPEC_DIR):
                continue
            pid = name[len(_SPEC_DIR) :].split("-", 1)[0]
            if not pid.isdigit():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                shutil.rmtree(os.path.join(base, name), ignore_errors=True)
            except OSError:
                continue  # alive, another user's


class _PoolFuture:
    """A chunk in the pool. If a worker has to be stopped (stuck past the time
    bound) the pool is rebuilt and the chunks in flight are submitted again,
    with the stuck item marked; ``result`` hides all that from the engine."""

    def __init__(self, backend: PoolBackend, handle: str, chunk: Chunk, tag: int):
        self.backend, self.handle, self.chunk, self.tag = backend, handle, chunk, tag
        self.hung: dict[int, int] = {}
        self.inner: Any = None
        self.send()

    def send(self) -> None:
        self.inner = self.backend._pool.submit(
            _pool_task, self.handle, self.chunk, self.tag, dict(self.hung)
        )

    def result(self) -> Done:
        from concurrent.futures import TimeoutError as Waiting
        from concurrent.futures.process import BrokenProcessPool

        while True:
            try:
                done: Done = self.inner.result(timeout=self.backend.poll)
            except Waiting:
                self.backend.watch()
                continue
            except BrokenProcessPool:
                self.backend.rebuild()
                continue
            self.backend.flying.discard(self)
            self.backend.breaks = 0
            return done


#: rebuilds of the pool with no chunk finished in between before the run gives up
_MAX_BREAKS = 5

#: F_SETPIPE_SZ (Linux): the pool's pipes can hold a whole chunk or result
_PIPE_SIZE = 1 << 20


def _widen_pipes(pool: Any) -> None:
    """Make the pool's pipes hold a whole chunk (1 MB instead of 64 kB).

    A worker hands back a chunk's finished lines (a few hundred kB) through a
    pipe: with 64 kB it waits for the client to be scheduled and read it before
    it can take the next chunk, which on a busy machine idles the worker. Best
    effort: the pool's queues are private to concurrent.futures, and outside
    Linux there is no such call."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is None:  # pragma: no cover - not Linux
        return
    for queue in ("_call_queue", "_result_queue"):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            fcntl.fcntl(getattr(pool, queue)._writer.fileno(), setsize, _PIPE_SIZE)


class PoolBackend:
    """A pool of ``jobs`` worker processes (concurrent.futures).

    Each worker's heartbeat is in shared memory; while the client waits for a
    chunk it checks them, and a worker whose operation has run past the time
    bound plus a grace period (the alarm could not stop it) is killed, its item
    rejected with the timeout reason, and the pool rebuilt.
    """

    def __init__(self, jobs: int, timeout: float = 0.0, warm: Sequence[AnyStage] = ()):
        import multiprocessing

        # fork starts workers in milliseconds and the client holds no threads or
        # locks when it forks; elsewhere the platform default is used.
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._jobs = jobs
        self._timeout = timeout
        #: seconds past the bound before a worker counts as stuck
        self.grace = max(2.0, timeout / 2)
        self.poll = 0.5
        self.flying: set[_PoolFuture] = set()
        self.breaks = 0
        self._stopped = False
        self._tags = itertools.count()
        #: characters of articles handed to this pool's workers
        self._given = 0
        _sweep_spec_dirs()
        self._dir = tempfile.TemporaryDirectory(prefix=f"{_SPEC_DIR}{os.getpid()}-")
        # chunks in flight: results come back in order, so one slow chunk (a
        # heavy page) holds the rest; a deeper queue keeps the other workers
        # busy meanwhile, at the cost of this many chunks (<= CHUNK_CHARS each)
        # held in memory
        self.window = 4 * jobs
        # what the stages load on first use (language profiles, parsers) is
        # loaded once here and shared by the forked workers, not once per worker
        if self._context.get_start_method() == "fork":
            warm_up(warm)
        self._start()

    def _start(self) -> None:
        import concurrent.futures

        # one row per worker: started, position, ordinal, chunk tag
        self._shared = [self._context.Array("d", 4, lock=False) for _ in range(self._jobs)]
        self._pids = self._context.Array("i", self._jobs)
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self._jobs,
            mp_context=self._context,
            initializer=_pool_init,
            initargs=(self._shared, self._pids),
        )
        _widen_pipes(self._pool)
        # Start the workers now, while this process is small: forked later they
        # would each start with a copy of whatever the reader holds by then.
        # What they inherit (modules, rules, models) lives as long as they do:
        # frozen, their garbage collector never walks it, a walk that costs each
        # worker time at every full collection and copies every page it touches
        # (it writes the objects' headers). With fork the pool forks all its
        # workers in the first submit; this process unfreezes at once, as the
        # freeze would otherwise keep its garbage of that time for good.
        gc.freeze()
        try:
            started = self._pool.submit(int)
        finally:
            gc.unfreeze()
        started.result()

    def bind(self, spec: PhaseSpec) -> Any:
        path = os.path.join(self._dir.name, f"phase-{uuid.uuid4().hex}.pickle")
        with open(path, "wb") as f:
            pickle.dump(spec, f, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    def submit(self, handle: Any, chunk: Chunk) -> Any:
        self._given += _chunk_chars(chunk)
        if self._given > RECYCLE_CHARS * self._jobs:
            self._recycle()
            self._given = _chunk_chars(chunk)
        future = _PoolFuture(self, handle, chunk, next(self._tags))
        self.flying.add(future)
        return future

    def _recycle(self) -> None:
        """New workers for old, once the chunks in flight are done: a worker's
        memory grows with the variety of pages it has met (lxml, the heap, what
        :class:`_Relief` cannot reach), so no worker lives past RECYCLE_CHARS
        characters of articles. A new worker is forked in milliseconds and warm
        in a page; the workers wait for the last chunk in flight, once a recycle."""
        import concurrent.futures

        while any(not future.inner.done() for future in self.flying):
            concurrent.futures.wait([future.inner for future in self.flying], timeout=self.poll)
            self.watch()
        if any(future.inner.exception() is not None for future in self.flying):
            return  # a worker died: result() rebuilds the pool and sends again
        self._pool.shutdown(wait=True)
        self._start()

    def watch(self) -> None:
        """Stop every worker stuck past the bound; mark its item in its chunk."""
        if self._timeout <= 0:
            return
        now = time.time()
        for slot, row in enumerate(self._shared):
            started, position, ordinal, tag = row[0], int(row[1]), int(row[2]), int(row[3])
            if not started or now - started < self._timeout + self.grace:
                continue
            for future in self.flying:
                if future.tag == tag:
                    future.hung[position] = ordinal
            pid = self._pids[slot]
            if pid:
                self._stopped = True
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

    def rebuild(self) -> None:
        """A worker died (stopped by :meth:`watch`, or killed from outside): a
        new pool, and every chunk in flight sent again."""
        # a worker watch() stopped is expected; one that died by itself counts
        self.breaks = 0 if self._stopped else self.breaks + 1
        self._stopped = False
        if self.breaks > _MAX_BREAKS:
            # A chunk that kills every worker it meets would be sent again forever.
            raise NewscleanError(
                f"the worker processes died {self.breaks} times in a row"
                " (out of memory? killed?); try -j 1 to see the error"
            )
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._start()
        for future in sorted(self.flying, key=lambda f: f.tag):
            future.send()

    def close(self, abort: bool = False) -> None:
        if abort:
            # interrupted: the work in flight is not wanted, do not wait for it
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._dir.cleanup()


class DaskBackend:
    """The same tasks on a Dask cluster: the one at ``scheduler`` or a local one.

    Each phase's spec (stages and batch model) is scattered to every worker once;
    chunks are submitted as tasks and gathered in input order.
    """

    def __init__(self, jobs: int, scheduler: str | None):
        try:
            import distributed
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise InputError(
                "--executor dask", "needs Dask: pip install 'newsclean[dask]'"
            ) from exc
        client_class: Any = distributed.Client
        cluster_class: Any = distributed.LocalCluster
        address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
        self._cluster: Any = None
        if address:
            self._client: Any = client_class(address)
        else:
            self._cluster = cluster_class(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=50,
            )
            self._client = client_class(self._cluster)
        threads = sum(self._client.nthreads().values()) or 1
        self.window = 4 * threads

    def bind(self, spec: PhaseSpec) -> Any:
        return self._client.scatter(spec, broadcast=True, hash=False)

    def submit(self, handle: Any, chunk: Chunk) -> Any:
        return self._client.submit(run_chunk, handle, chunk, pure=False)

    def close(self, abort: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def warm_up(stages: Sequence[AnyStage]) -> None:
    """Have each stage load what it loads on first use (``prepare``), in this
    process, before the pool forks: the workers then share it."""
    for stage in stages:
        stage.prepare()


def make_backend(options: ExecOptions, warm: Sequence[AnyStage] = ()) -> Backend:
    if options.executor == "dask":
        return DaskBackend(max(1, options.jobs), options.scheduler)
    if options.jobs <= 1:
        return InlineBackend()
    return PoolBackend(options.jobs, options.timeout, warm)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# --- stores: where results wait between phases ----------------------------------


class Store(Protocol):
    def get(self, phase: int, index: int) -> Done | None: ...
    def put(self, phase: int, index: int, done: Done) -> None: ...
    def drop(self, phase: int) -> None: ...


def pack(done: Done) -> bytes:
    # the records are compressed already; the results are small
    reading = (done.failed, done.read_in, done.notes)
    return pickle.dumps((done.results, done.records, reading), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Done:
    results, records, (failed, read_in, notes) = pickle.loads(blob)
    return Done(results, records, failed, read_in, notes)


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


# --- reading --------------------------------------------------------------------


@dataclass
class Inputs:
    """The files of a run and which of them to read.

    Without ``--state`` the files are expanded lazily, as the reader meets them
    (a folder of millions of files is never listed in memory twice).
    """

    files: Iterable[Input]
    #: indexes into ``files`` to read; ``None``: all of them
    todo: list[int] | None = None
    #: ids already taken by inputs kept from an earlier run (--state)
    seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def expand(cls, paths: Iterable[str], report: Report) -> Inputs:
        return cls(files=expand(paths, report))

    def to_read(self) -> Iterator[tuple[int, Input]]:
        if self.todo is None:
            yield from enumerate(self.files)
            return
        files = self.files if isinstance(self.files, list) else list(self.files)
        for index in self.todo:
            yield index, files[index]


class IdRegistry(MutableMapping[str, str]):
    """The ids a run has given out (id -> where), for ingest's duplicate check,
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


class Reader:
    """The records of ``inputs.todo``, in order, with ingest rejects in between.

    The same rules as :func:`ingest.read_inputs` (it is the same code, per file):
    a bad input stops the run unless ``skip_invalid``; ids are made unique over
    the whole run, including inputs kept from an earlier one.

    With ``defer``, an article file whose id follows from its name
    (:func:`ingest.single_article`) is not read here: it goes into the stream as
    an "f" item and the worker that runs its chunk reads it, so reading,
    decoding and pickling articles is spread over the workers instead of being
    serial work in the client. Its id is set aside in ``seen`` at once, as if
    the read will succeed; the engine reports each chunk back in order
    (:meth:`settled`) and a file that gave no record has its id taken back at
    the next *barrier*. Before anything the reader cannot decide alone (a file
    whose id is taken, so the read decides between an error, a suffix or
    nothing; any input read here, whose ids are only known once read) the
    stream carries a barrier: the engine settles every chunk in flight, and the
    reader goes on with exactly the ids a sequential read would hold. Where the
    barriers fall depends on the input alone, so the chunks do too.
    """

    def __init__(
        self,
        inputs: Inputs,
        options: IngestOptions,
        report: Report,
        stdin: IO[bytes] | None = None,
        defer: bool = False,
    ):
        self.inputs, self.options, self.report = inputs, options, report
        self.stdin, self.defer = stdin, defer
        #: ids of deferred files that gave no record, to take back at a barrier
        self._failed: list[str] = []
        self._seen: IdRegistry | None = None

    def __iter__(self) -> Iterator[Item]:
        reader = _QueueingReport(self.report)
        seen = self._seen = IdRegistry(self.inputs.seen)
        report = self.report
        deferred = False

        def flush(index: int) -> Iterator[Item]:
            report.records_in += reader.records_in
            reader.records_in = 0
            yield from reader.drain(index)

        try:
            for index, found in self.inputs.to_read():
                article = single_article(found, self.options) if self.defer else None
                if article is not None and seen.claim(*article):
                    deferred = True
                    yield ("f", index, found, self.options, _size(found.path))
                    continue
                if deferred:
                    yield BARRIER_ITEM
                    deferred = False
                    for taken in self._failed:
                        del seen[taken]
                    self._failed.clear()
                for record in read_input(found, self.options, reader, self.stdin, seen):
                    yield from flush(index)
                    yield ("r", index, record)
                yield from flush(index)
        finally:
            self._seen = None
            seen.close()

    def settled(self, chunk: Sequence[Item], done: Done) -> None:
        """A first-phase chunk is done (in input order): account what its workers read."""
        self.report.records_in += done.read_in
        for note in done.notes:
            self.report.warn(note)
        for position in done.failed:
            found, options = chunk[position][2], chunk[position][3]
            article = single_article(found, options)
            if article is not None:
                self._failed.append(article[0])


def read_items(
    inputs: Inputs,
    options: IngestOptions,
    report: Report,
    stdin: IO[bytes] | None = None,
    defer: bool = False,
) -> Reader:
    """The items of ``inputs`` (see :class:`Reader`)."""
    return Reader(inputs, options, report, stdin, defer)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the worker meets the problem and reports it


#: in the stream: settle every chunk in flight before reading on
BARRIER_ITEM: Item = ("b",)
#: in the chunks: the same
BARRIER: list[Item] = [BARRIER_ITEM]


def chunked(items: Iterable[Item], records: int) -> Iterator[list[Item]]:
    """Cut the stream into chunks by count and size: the cuts depend only on the
    input, so a resumed run meets the same chunks as the run it resumes."""
    chunk: list[Item] = []
    size = 0
    for item in items:
        if item[0] == "b":
            if chunk:
                yield chunk
                chunk, size = [], 0
            yield BARRIER
            continue
        chunk.append(item)
        if item[0] == "r":
            record = item[2]
            size += sum(len(v) for k in ("html", "text") if isinstance(v := record.get(k), str))
        elif item[0] == "f":
            size += item[4]
        if len(chunk) >= records or size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


# --- the engine -------------------------------------------------------------------


class Sink(Protocol):
    """Where the last phase's results go, in input order."""

    def record(self, index: int, line: str) -> None: ...


@dataclass
class Plan:
    """The phases of a chain."""

    phases: list[tuple[BatchStage | None, tuple[Stage, ...], BatchStage | None]]

    @classmethod
    def of(cls, stages: Sequence[AnyStage]) -> Plan:
        phases: list[tuple[BatchStage | None, tuple[Stage, ...], BatchStage | None]] = []
        pre: BatchStage | None = None
        for run, post in segments(stages):
            phases.append((pre, tuple(run), post))
            pre = post
        return cls(phases)


@dataclass
class Engine:
    """One run of a chain: the backend, the store and the accounting."""

    backend: Backend
    store: Store
    report: Report
    timeout: float
    chunk_records: int = 64
    progress: Progress = field(default_factory=NoBar)
    #: store the last phase too (--state: a kill there resumes without redoing it)
    keep_final: bool = False
    _reader: Reader | None = field(default=None, init=False, repr=False)
    #: the summaries a batch stage reduces, given this run's as (input index,
    #: summary) in input order; state.py adds those of inputs kept from earlier runs
    evidence: Callable[[BatchStage, Iterator[tuple[int, Any]]], Iterable[Any]] | None = None

    def run(self, stages: Sequence[AnyStage], items: Iterable[Item], sink: Sink) -> None:
        plan = Plan.of(stages)
        model: Any = None
        self._reader = items if isinstance(items, Reader) else None
        chunks: Iterable[Chunk] = chunked(items, self.chunk_records)
        expected: int | None = None
        for number, (pre, run, post) in enumerate(plan.phases):
            final = post is None
            handle = self.backend.bind(PhaseSpec(pre, model, run, post, final, self.timeout))
            self.progress.phase(number + 1, len(plan.phases), expected)
            keep = not final or self.keep_final
            n_chunks = 0
            expected = 0
            for done, results in self._ordered(number, handle, chunks, keep):
                n_chunks = done
                for result in results.results:
                    if result[0] == "x":
                        _, _index, where, reason, payload, filtered = result
                        self.report.reject(where, reason, payload, filtered=filtered)
                        continue
                    expected += 1
                    if final:
                        self.report.removed_lines += result[4]
                        sink.record(result[1], result[2])
                self.progress.advance(len(results.results))
            if post is None:
                break
            model = post.reduce(self._parts(number, n_chunks, post))
            if number > 0:
                self.store.drop(number - 1)
            chunks = self._records_from(number, n_chunks)
        self.progress.close()

    def _ordered(
        self, phase: int, handle: Any, chunks: Iterable[Chunk], keep: bool
    ) -> Iterator[tuple[int, Done]]:
        """(chunks so far, results of the next chunk), in order, with at most the
        backend's window of chunks in flight. A chunk already in the store (a
        resumed run) is not computed again."""
        pending: deque[tuple[int, Any, bool, Chunk]] = deque()
        reader = self._reader if phase == 0 else None

        def settle() -> tuple[int, Done]:
            index, future, stored, chunk = pending.popleft()
            results: Done = future.result()
            if keep and not stored:
                self.store.put(phase, index, results)
            if reader is not None and isinstance(chunk, list):
                reader.settled(chunk, results)
            return index + 1, results

        index = 0
        for chunk in chunks:
            if chunk is BARRIER:
                while pending:
                    yield settle()
                continue
            found = self.store.get(phase, index) if keep else None
            if found is not None:
                pending.append((index, _Done(found), True, chunk))
            else:
                pending.append((index, self.backend.submit(handle, chunk), False, chunk))
            index += 1
            if len(pending) >= self.backend.window:
                yield settle()
        while pending:
            yield settle()

    def _parts(self, phase: int, n_chunks: int, post: BatchStage) -> Iterable[Any]:
        def ours() -> Iterator[tuple[int, Any]]:
            for index in range(n_chunks):
                done = self.store.get(phase, index)
                for result in done.results if done else ():
                    if result[0] == "r":
                        yield result[1], result[3]

        if self.evidence is not None:
            return self.evidence(post, ours())
        return (part for _, part in ours())

    def _records_from(self, phase: int, n_chunks: int) -> Iterator[Chunk]:
        for index in range(n_chunks):
            done = self.store.get(phase, index) or Done([])
            yield Packed([r[1] for r in done.results if r[0] == "r"], done.records)


class StreamSink:
    """The last phase straight to a text stream (no --state)."""

    def __init__(self, out: IO[str], report: Report):
        self._out = out
        self._report = report

    def record(self, index: int, line: str) -> None:
        self._out.write(line + "\n")
        self._report.records_out += 1


@contextlib.contextmanager
def engine(
    options: ExecOptions,
    report: Report,
    store: Store | None = None,
    stages: Sequence[AnyStage] = (),
) -> Iterator[Engine]:
    """An :class:`Engine` with its backend and store, closed on the way out
    (``stages``: those it will run, warmed up before a pool forks)."""

    backend = make_backend(options, stages)
    spill = SpillStore() if store is None else None
    abort = True
    try:
        yield Engine(
            backend=backend,
            store=store or spill,  # type: ignore[arg-type]
            report=report,
            timeout=options.timeout,
            chunk_records=options.chunk_records,
            progress=make_progress(options.progress, report.stderr),
            keep_final=store is not None,
        )
        abort = False
    finally:
        backend.close(abort=abort)
        if spill is not None:
            spill.close()


def run_records(
    inputs: Inputs,
    stages: Sequence[AnyStage],
    ingest: IngestOptions,
    options: ExecOptions,
    report: Report,
    out: IO[str],
    stdin: IO[bytes] | None = None,
) -> None:
    """Read ``inputs``, run ``stages`` and write JSONL to ``out`` (no state file)."""
    with engine(options, report, stages=stages) as eng:
        items = read_items(inputs, ingest, report, stdin, defer=deferring(options))
        eng.run(stages, items, StreamSink(out, report))


def deferring(options: ExecOptions) -> bool:
    """Whether workers read article files themselves: they do in a local pool
    (and inline, so -j 1 runs the very same code); Dask workers may be on other
    machines, where the client's paths mean nothing."""
    return options.executor == "local"
