"""``-j N``: a pool of N worker processes on this machine (concurrent.futures),
with a heartbeat per worker so one stuck past the time limit is stopped, and
workers recycled before their memory creeps up."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import pickle
import signal
import tempfile
import time
import uuid
from collections.abc import Sequence
from typing import Any

from newsclean.errors import NewscleanError
from newsclean.runtime.backends.base import warm_up
from newsclean.runtime.orphans import end_with_parent
from newsclean.runtime.wire import Chunk, Done, Packed, PhaseSpec, article_chars
from newsclean.runtime.worker import BEAT, run_chunk
from newsclean.stages.base import AnyStage

#: characters of article text and HTML a pool worker gets before it is replaced
RECYCLE_CHARS = 64 * 1024 * 1024


def _chunk_chars(chunk: Chunk) -> int:
    """About how many characters of articles a chunk holds (packed records
    count by their compressed size: a bound of the order, all it needs)."""
    if isinstance(chunk, Packed):
        return len(chunk.records)
    return sum(article_chars(item) for item in chunk)


# The worker side of the process pool: each phase's spec is pickled to a file
# once and loaded by each worker the first time it meets a chunk of that phase,
# so a large batch model is not sent again with every chunk.
_WORKER_SPEC: tuple[str, PhaseSpec] | None = None


def _pool_init(shared: Any, pids: Any) -> None:
    # Ctrl-C and kill are the client's to handle: it stops the pool and removes
    # the output. A worker forked from a client that turned SIGTERM into an
    # interrupt must die of it again, or stopping the pool would wait for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # and a SIGKILL of the client must not leave the workers running on
    end_with_parent()
    with pids.get_lock():
        slot = next(i for i, pid in enumerate(pids) if pid == 0)
        pids[slot] = os.getpid()
    BEAT.slot, BEAT.shared = slot, shared


def _pool_task(spec_path: str, chunk: Chunk, tag: int, hung: dict[int, int]) -> Done:
    global _WORKER_SPEC
    if _WORKER_SPEC is None or _WORKER_SPEC[0] != spec_path:
        with open(spec_path, "rb") as f:
            _WORKER_SPEC = (spec_path, pickle.load(f))
    if BEAT.slot is not None:
        BEAT.shared[BEAT.slot][3] = float(tag)
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
