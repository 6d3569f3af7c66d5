"""What crosses between the client and the workers: items, results, chunks.

A chunk of the first phase is a list of items: a record read by the client
(:class:`Row`), an ingest reject travelling in its place in the stream
(:class:`Rejected`), or an article file the worker reads itself
(:class:`ArticleFile`: the client does not read, decode and pickle every
article, the serial work that kept ``-j`` from scaling on cheap text
articles). A chunk gives back one result per record: :class:`Finished` or
:class:`Rejected`. ``index`` is always the position of the input file in the
run, so the state file can file every record under its input.

Between phases the records travel packed (pickled and compressed with LZ4 by
the worker that made them): the client stores and forwards the bytes without
ever unpacking them, so its share of the work stays small and ``-j`` scales.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from newsclean.record import Record
from newsclean.runtime.ingest import Input
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.phase import Phase

#: what a Done holds; part of the key of a resumable --state run, so the work a
#: run of another version committed is not read back
WIRE_VERSION = 2


class Row(NamedTuple):
    """A record on its way through a phase."""

    input_index: int
    record: Record


class ArticleFile(NamedTuple):
    """An article file the worker reads; the client set its ``id`` aside."""

    input_index: int
    found: Input
    options: IngestOptions
    size: int
    id: str


class Rejected(NamedTuple):
    """A record (or input) that will not reach the output, and why."""

    input_index: int
    where: str
    reason: str
    payload: Any
    filtered: bool


class Finished(NamedTuple):
    """A record through a phase: its JSONL ``line`` in the last phase (None
    before it), its summary for the next batch stage and how many lines its
    stages removed."""

    input_index: int
    line: str | None
    part: Any
    removed: int


class Barrier(NamedTuple):
    """In the stream: settle every chunk in flight before reading on."""


Item = Row | ArticleFile | Rejected
Result = Finished | Rejected

BARRIER = Barrier()


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
    phase) the records that go on, packed, in the order of the Finished results.

    For the article files it read, a first-phase chunk also says what reading
    found: the positions of the files that gave no record (the reader takes
    back the id it set aside for them), the inputs counted and the warnings,
    which the client accounts in input order as if it had read them itself."""

    results: list[Result]
    records: bytes = b""
    failed: list[int] = field(default_factory=list)
    read_in: int = 0
    notes: list[str] = field(default_factory=list)
    #: characters of article (text and HTML) the chunk worked on
    seen: int = 0


@dataclass(frozen=True)
class PhaseSpec:
    """Everything a worker needs for one phase; pickled once per phase."""

    phase: Phase
    #: last phase: records leave as finished JSONL lines (the client only writes)
    final: bool
    timeout: float


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


def pack(done: Done) -> bytes:
    # the records are compressed already; the results are small
    reading = (done.failed, done.read_in, done.notes)
    return pickle.dumps((done.results, done.records, reading), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Done:
    results, records, (failed, read_in, notes) = pickle.loads(blob)
    return Done(results, records, failed, read_in, notes)


def article_chars(item: Item) -> int:
    """Characters of article (text and HTML) an item holds: a file counts by its size."""
    if isinstance(item, Row):
        record = item.record
        return sum(len(v) for k in ("html", "text") if isinstance(v := record.get(k), str))
    if isinstance(item, ArticleFile):
        return item.size
    return 0
