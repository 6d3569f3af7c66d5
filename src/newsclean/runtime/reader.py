"""The client's side of reading: the inputs of a run as a stream of items,
and the worker's side: reading the article files a chunk names."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from newsclean.runtime.ingest import (
    IdRegistry,
    Input,
    claim_article,
    expand,
    read_input,
)
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report
from newsclean.runtime.wire import BARRIER, ArticleFile, Barrier, Done, Item, Rejected, Row


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


class _QueueingReport(Report):
    """The reader's report: counts inputs, but holds its rejects so they travel
    in the record stream and are accounted in input order with the others."""

    def __init__(self, report: Report):
        super().__init__(stderr=report.stderr, quiet=report.quiet)
        self.queued: list[tuple[str, str, Any, bool]] = []

    def reject(self, where: str, reason: str, payload: Any = None, filtered: bool = False) -> None:
        self.queued.append((where, reason, payload, filtered))

    def drain(self, index: int) -> Iterator[Rejected]:
        """The rejects held so far, as items of input ``index``."""
        for where, reason, payload, filtered in self.queued:
            yield Rejected(index, where, reason, payload, filtered)
        self.queued.clear()


class ChunkReport(_QueueingReport):
    """What reading the article files of a chunk met, kept to travel back in the Done."""

    def __init__(self) -> None:
        super().__init__(Report(quiet=True))
        self.notes: list[str] = []

    def warn(self, message: str) -> None:
        self.notes.append(message)


def read_files(chunk: Sequence[Item]) -> tuple[list[Item], ChunkReport, list[int]]:
    """The chunk with each :class:`ArticleFile` read (in a worker): its record,
    or the reject reading it gave (as the :class:`Reader` would have put in the
    stream), with what reading met and the positions of the files that gave
    no record."""
    reader = ChunkReport()
    items: list[Item] = []
    failed: list[int] = []
    for position, item in enumerate(chunk):
        if not isinstance(item, ArticleFile):
            items.append(item)
            continue
        # a fresh id map: the client set the id aside (Reader)
        records = list(read_input(item.found, item.options, reader, None, {}))
        items.extend(reader.drain(item.input_index))
        items.extend(Row(item.input_index, record) for record in records)
        if not records:
            failed.append(position)
    return items, reader, failed


class Reader:
    """The records of ``inputs.todo``, in order, with ingest rejects in between.

    The same rules as :func:`ingest.read_inputs` (it is the same code, per file):
    a bad input stops the run unless ``skip_invalid``; ids are made unique over
    the whole run, including inputs kept from an earlier one.

    With ``defer``, an article file whose id follows from its name
    (:func:`ingest.claim_article`) is not read here: it goes into the stream as
    an :class:`ArticleFile` and the worker that runs its chunk reads it, so
    reading, decoding and pickling articles is spread over the workers instead
    of being serial work in the client. Its id is set aside at once, as if the
    read will succeed; the engine reports each chunk back in order
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

    def __iter__(self) -> Iterator[Item | Barrier]:
        reader = _QueueingReport(self.report)
        seen = IdRegistry(self.inputs.seen)
        report = self.report
        deferred = False

        def flush(index: int) -> Iterator[Item]:
            report.records_in += reader.records_in
            reader.records_in = 0
            yield from reader.drain(index)

        try:
            for index, found in self.inputs.to_read():
                claimed = claim_article(found, self.options, seen) if self.defer else None
                if claimed is not None:
                    deferred = True
                    yield ArticleFile(index, found, self.options, _size(found.path), claimed)
                    continue
                if deferred:
                    yield BARRIER
                    deferred = False
                    for taken in self._failed:
                        del seen[taken]
                    self._failed.clear()
                for record in read_input(found, self.options, reader, self.stdin, seen):
                    yield from flush(index)
                    yield Row(index, record)
                yield from flush(index)
        finally:
            seen.close()

    def settled(self, chunk: Sequence[Item], done: Done) -> None:
        """A first-phase chunk is done (in input order): account what its workers read."""
        self.report.records_in += done.read_in
        for note in done.notes:
            self.report.warn(note)
        for position in done.failed:
            item = chunk[position]
            if isinstance(item, ArticleFile):
                self._failed.append(item.id)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the worker meets the problem and reports it
