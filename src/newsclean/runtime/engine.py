"""Running a chain of stages over a stream of records: in this process, in a pool
of worker processes, or on a Dask cluster, with the same output byte for byte.

The chain is cut into phases at its batch stages (:mod:`.phase`). Records
travel in *chunks* (a fixed number of records or bytes, so chunk boundaries
depend on the input only, never on ``-j`` or timing); a chunk is one task, so
the inter-process traffic is one round trip per chunk, not per article.

* The reader (:mod:`.reader`) runs in the calling process, but with a local
  pool (and inline) an article file (.txt/.html) is only named in the chunk:
  the worker reads it, so the client's serial share stays small. Chunks go to
  the backend (:mod:`.backends`) with at most a few chunks per worker in flight
  (memory stays bounded) and come back in input order.
* Before a pool forks, each stage's ``prepare`` loads what it would load on
  first use (language profiles), so the workers share one copy.
* Between the phases of a batch stage the results are spilled to a
  :class:`~.stores.Store` (a temporary file, or the ``--state`` database, which
  is what makes an interrupted run resumable) and the summaries are reduced on
  the client, streamed from the store.
* Every per-article operation runs under a time limit (:mod:`.worker`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from newsclean.runtime.backends import make_backend
from newsclean.runtime.backends.base import Backend, Ready
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.phase import plan
from newsclean.runtime.progress import NoBar, Progress, make_progress
from newsclean.runtime.reader import Inputs, Reader
from newsclean.runtime.report import Report
from newsclean.runtime.sinks import Sink, StreamSink
from newsclean.runtime.stores import SpillStore, Store
from newsclean.runtime.wire import (
    Barrier,
    Chunk,
    Done,
    Finished,
    Item,
    Packed,
    PhaseSpec,
    Rejected,
    article_chars,
)
from newsclean.stages.base import AnyStage, BatchStage

#: a chunk ends at ExecOptions.chunk_records records, or once it holds this many
#: characters of text/html, whichever comes first
CHUNK_CHARS = 1024 * 1024

#: in the chunks: settle every chunk in flight before going on
BARRIER_CHUNK: list[Item] = []


def chunked(items: Iterable[Item | Barrier], records: int) -> Iterator[list[Item]]:
    """Cut the stream into chunks by count and size: the cuts depend only on the
    input, so a resumed run meets the same chunks as the run it resumes."""
    chunk: list[Item] = []
    size = 0
    for item in items:
        if isinstance(item, Barrier):
            if chunk:
                yield chunk
                chunk, size = [], 0
            yield BARRIER_CHUNK
            continue
        chunk.append(item)
        size += article_chars(item)
        if len(chunk) >= records or size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


#: the summaries a batch stage reduces, given this run's as (input index,
#: summary) in input order; state.py adds those of inputs kept from earlier runs
Evidence = Callable[[BatchStage, Iterator[tuple[int, Any]]], Iterable[Any]]


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
    evidence: Evidence | None = None

    def run(self, stages: Sequence[AnyStage], items: Iterable[Item | Barrier], sink: Sink) -> None:
        phases = plan(stages)
        model: Any = None
        reader = items if isinstance(items, Reader) else None
        chunks: Iterable[Chunk] = chunked(items, self.chunk_records)
        expected: int | None = None
        for number, phase in enumerate(phases):
            final = phase.post is None
            spec = PhaseSpec(dataclasses.replace(phase, model=model), final, self.timeout)
            handle = self.backend.bind(spec)
            self.progress.phase(number + 1, len(phases), expected)
            keep = not final or self.keep_final
            n_chunks = expected = 0
            ordered = self._ordered(number, handle, chunks, keep, reader if number == 0 else None)
            for settled, done in ordered:
                n_chunks = settled
                expected += self._account(done, sink if final else None)
            if phase.post is None:
                break
            model = phase.post.reduce(self._parts(number, n_chunks, phase.post))
            if number > 0:
                self.store.drop(number - 1)
            chunks = self._records_from(number, n_chunks)
        self.progress.close()

    def _account(self, done: Done, sink: Sink | None) -> int:
        """Report a chunk's rejects, write its lines (last phase); the records going on."""
        going_on = 0
        for result in done.results:
            if isinstance(result, Rejected):
                self.report.reject(result.where, result.reason, result.payload, result.filtered)
                continue
            going_on += 1
            if sink is not None:
                self.report.removed_lines += result.removed
                assert result.line is not None
                sink.record(result.input_index, result.line)
        self.progress.advance(len(done.results))
        return going_on

    def _ordered(
        self,
        phase: int,
        handle: Any,
        chunks: Iterable[Chunk],
        keep: bool,
        reader: Reader | None,
    ) -> Iterator[tuple[int, Done]]:
        """(chunks so far, results of the next chunk), in order, with at most the
        backend's window of chunks in flight. A chunk already in the store (a
        resumed run) is not computed again."""
        pending: deque[tuple[int, Any, bool, Chunk]] = deque()

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
            if chunk is BARRIER_CHUNK:
                while pending:
                    yield settle()
                continue
            found = self.store.get(phase, index) if keep else None
            if found is not None:
                pending.append((index, Ready(found), True, chunk))
            else:
                pending.append((index, self.backend.submit(handle, chunk), False, chunk))
            index += 1
            if len(pending) >= self.backend.window:
                yield settle()
        while pending:
            yield settle()

    def _finished(self, phase: int, n_chunks: int) -> Iterator[tuple[Done, list[Finished]]]:
        for index in range(n_chunks):
            done = self.store.get(phase, index) or Done([])
            yield done, [r for r in done.results if isinstance(r, Finished)]

    def _parts(self, phase: int, n_chunks: int, post: BatchStage) -> Iterable[Any]:
        ours = (
            (r.input_index, r.part)
            for _, finished in self._finished(phase, n_chunks)
            for r in finished
        )
        if self.evidence is not None:
            return self.evidence(post, ours)
        return (part for _, part in ours)

    def _records_from(self, phase: int, n_chunks: int) -> Iterator[Chunk]:
        for done, finished in self._finished(phase, n_chunks):
            yield Packed([r.input_index for r in finished], done.records)


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
        items = Reader(inputs, ingest, report, stdin, defer=options.deferring)
        eng.run(stages, items, StreamSink(out, report))
