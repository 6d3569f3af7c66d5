"""``clean --state FILE``: incremental and resumable runs over a growing drop.

The state file is SQLite (stdlib ``sqlite3``). It records every input it has
processed (absolute path, size, mtime, sha256, when, into which output, with
which chain) together with that input's finished records and its batch
evidence (the summaries its records gave the batch stages). With it:

* **Incremental.** An input whose size and mtime are unchanged is not read
  again (like make and rsync); if they changed but the sha256 is the same it is
  not processed again either. An input processed with a different chain
  configuration counts as changed. Only new and changed inputs go through the
  stages.
* **What a re-run writes.** The output file always holds the records of *all*
  the inputs named on the command line, in input order: those kept from earlier
  runs come from the state file as they were written then, the new ones are
  processed now, and the whole file is written atomically. So ``-o`` can name
  the same file every night and it always matches the folder.
* **Batch evidence across runs.** A batch stage of this run reduces the
  summaries of the new inputs *and* those stored for the kept ones, in input
  order: a boilerplate line that recurs across nights is recognised even when
  each night's drop is small. Records of kept inputs are not rewritten when the
  evidence grows (they keep what they got when processed); delete the state
  file to reprocess everything with the full evidence.
* **Resumable.** Every finished chunk of every phase is committed to the state
  file under a key of the run (the inputs to process and the chain). Killed or
  interrupted, the run leaves no output file; the next run with the same inputs
  and chain finds the committed chunks and computes only the rest. The inputs
  are marked processed, their records stored and the chunks deleted in one
  transaction at the end, then the output file is written.
* **Names registry.** Every stage is given the state file's path before the run
  (``Stage.with_state``): names, whose registry tables are prefixed ``names_``,
  keeps the registry that holds canonical spellings stable across drops in the
  same file (unless ``--registry`` names another). A batch stage whose
  ``keeps_evidence`` is true (names with a registry) carries its evidence
  across runs itself and is not fed the stored summaries again.

Inputs named on the command line but gone from the folder are simply not in the
output; their rows stay in the state file (another run may name them again).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any

from newsclean.errors import InputError
from newsclean.runtime.engine import engine
from newsclean.runtime.ingest import STDIN
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.phase import plan
from newsclean.runtime.reader import Inputs, Reader
from newsclean.runtime.report import Report
from newsclean.runtime.sinks import CountingSink
from newsclean.runtime.wire import WIRE_VERSION, Done, Rejected, pack, unpack
from newsclean.stages.base import AnyStage, BatchStage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,          -- absolute path of the input file
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,           -- of the raw bytes of the file
    processed_at TEXT NOT NULL,     -- UTC, ISO 8601
    output TEXT,                    -- the output file of that run (NULL: stdout)
    chain TEXT NOT NULL,            -- fingerprint of the stages and their options
    records INTEGER NOT NULL,       -- records written for it
    rejected INTEGER NOT NULL,      -- records (or the file) rejected
    ids TEXT NOT NULL               -- JSON list of its record ids
);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL,
    PRIMARY KEY (path, seq)
);
CREATE TABLE IF NOT EXISTS evidence (
    path TEXT NOT NULL, stage TEXT NOT NULL, seq INTEGER NOT NULL, part BLOB NOT NULL,
    PRIMARY KEY (path, stage, seq)
);
CREATE TABLE IF NOT EXISTS work (
    run TEXT NOT NULL, phase INTEGER NOT NULL, chunk INTEGER NOT NULL, results BLOB NOT NULL,
    PRIMARY KEY (run, phase, chunk)
);
"""
_VERSION = "1"


def fingerprint(stages: Sequence[AnyStage], ingest: IngestOptions) -> str:
    """What the chain does, as a hash: stage classes and their (dataclass) options."""
    parts = [repr(ingest)]
    for stage in stages:
        kind = type(stage)
        config = sorted((k, repr(v)) for k, v in vars(stage).items())
        parts.append(f"{kind.__module__}.{kind.__qualname__}{config}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Stat:
    path: str
    size: int
    mtime_ns: int
    sha256: str | None


class _Tally:
    """Per input to process: records written, records rejected, their ids."""

    def __init__(self, todo: set[int]):
        self.records: dict[int, int] = dict.fromkeys(todo, 0)
        self.rejected: dict[int, int] = dict.fromkeys(todo, 0)
        self.ids: dict[int, list[str]] = {i: [] for i in todo}


class State:
    """An open state file."""

    def __init__(self, path: str):
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(path, f"not a newsclean state file ({exc})") from exc
        version = self._meta("version")
        if version is None:
            self._set_meta("version", _VERSION)
        elif version != _VERSION:
            raise InputError(path, f"state file version {version}, expected {_VERSION}")

    def close(self) -> None:
        self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- which inputs to process -------------------------------------------------

    def plan(self, inputs: Inputs, chain: str) -> tuple[list[int], list[_Stat]]:
        """Split ``inputs`` into kept and to-do (``inputs.todo``); return the kept
        indexes and the stat of every input."""
        kept: list[int] = []
        todo: list[int] = []
        stats: list[_Stat] = []
        inputs.files = list(inputs.files)
        for index, (path, _root, _problem) in enumerate(inputs.files):
            if path == STDIN:
                raise InputError("-", "--state needs named inputs, not stdin")
            full = os.path.abspath(path)
            try:
                st = os.stat(full)
            except OSError:
                # unreadable: let the reader say why, in its place
                stats.append(_Stat(full, -1, -1, None))
                todo.append(index)
                continue
            row = self.db.execute(
                "SELECT size, mtime_ns, sha256, chain FROM inputs WHERE path = ?", (full,)
            ).fetchone()
            stat = _Stat(full, st.st_size, st.st_mtime_ns, None)
            same = False
            if row is not None and row[3] == chain:
                if (row[0], row[1]) == (st.st_size, st.st_mtime_ns):
                    same = True
                elif row[0] == st.st_size:
                    stat = _Stat(full, st.st_size, st.st_mtime_ns, _sha256(full))
                    same = stat.sha256 == row[2]
                    if same:  # touched, not changed
                        self.db.execute(
                            "UPDATE inputs SET mtime_ns = ? WHERE path = ?",
                            (st.st_mtime_ns, full),
                        )
            stats.append(stat)
            (kept if same else todo).append(index)
        inputs.todo = todo
        for index in kept:
            ids = self.db.execute(
                "SELECT ids FROM inputs WHERE path = ?", (stats[index].path,)
            ).fetchone()[0]
            for record_id in json.loads(ids):
                inputs.seen[record_id] = stats[index].path
        return kept, stats

    # --- the store of a run (stores.Store) -----------------------------------------

    def begin(self, key: str) -> None:
        """Start or resume the run ``key``: work of any other run is dropped."""
        if self._meta("run") != key:
            self.db.execute("DELETE FROM work")
            self._set_meta("run", key)
        self._run = key

    def get(self, phase: int, index: int) -> Done | None:
        row = self.db.execute(
            "SELECT results FROM work WHERE run = ? AND phase = ? AND chunk = ?",
            (self._run, phase, index),
        ).fetchone()
        return None if row is None else unpack(row[0])

    def put(self, phase: int, index: int, done: Done) -> None:
        # autocommit: each finished chunk is durable on its own
        self.db.execute(
            "INSERT OR REPLACE INTO work VALUES (?, ?, ?, ?)",
            (self._run, phase, index, pack(done)),
        )

    def drop(self, phase: int) -> None:
        # kept until commit(): the evidence of every phase is stored then
        return None

    def chunks(self, phase: int) -> Iterator[Done]:
        cursor = self.db.execute(
            "SELECT results FROM work WHERE run = ? AND phase = ? ORDER BY chunk",
            (self._run, phase),
        )
        for (blob,) in cursor:
            yield unpack(blob)

    def phases(self) -> list[int]:
        rows = self.db.execute(
            "SELECT DISTINCT phase FROM work WHERE run = ? ORDER BY phase", (self._run,)
        )
        return [int(r[0]) for r in rows]

    # --- evidence of kept inputs ----------------------------------------------------

    def evidence(
        self, kept: set[int], stats: list[_Stat], stage: str, ours: Iterator[tuple[int, Any]]
    ) -> Iterator[Any]:
        """Summaries for ``stage`` in input order: stored ones for kept inputs,
        ``ours`` (input index, summary) for the rest."""
        pending = next(ours, None)
        for index, stat in enumerate(stats):
            if index in kept:
                rows = self.db.execute(
                    "SELECT part FROM evidence WHERE path = ? AND stage = ? ORDER BY seq",
                    (stat.path, stage),
                )
                for (blob,) in rows:
                    yield pickle.loads(zlib.decompress(blob))
                continue
            while pending is not None and pending[0] == index:
                yield pending[1]
                pending = next(ours, None)
        while pending is not None:  # pragma: no cover - indexes are always in range
            yield pending[1]
            pending = next(ours, None)

    # --- the end of a run ---------------------------------------------------------

    def commit(
        self,
        inputs: Inputs,
        stats: list[_Stat],
        batch_names: dict[int, str],
        final_phase: int,
        chain: str,
        output: str | None,
    ) -> None:
        """Mark ``inputs.todo`` processed with their records and evidence, drop the
        run's work, in one transaction."""
        todo = set(inputs.todo or ())
        tally = _Tally(todo)
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for index in todo:
                path = stats[index].path
                db.execute("DELETE FROM outputs WHERE path = ?", (path,))
                db.execute("DELETE FROM evidence WHERE path = ?", (path,))
            for phase in self.phases():
                batch = batch_names.get(phase)
                self._keep_phase(phase, phase == final_phase, batch, stats, tally)
            self._mark_processed(sorted(todo), stats, tally, chain, output)
            db.execute("DELETE FROM work")
            db.execute("DELETE FROM meta WHERE key = 'run'")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _keep_phase(
        self, phase: int, final: bool, batch: str | None, stats: list[_Stat], tally: _Tally
    ) -> None:
        """Store a phase's finished lines (the last phase) or evidence (``batch``'s)."""
        seq: dict[int, int] = {}
        for done in self.chunks(phase):
            for result in done.results:
                index = result.input_index
                if isinstance(result, Rejected):
                    tally.rejected[index] += 1
                    continue
                n = seq.get(index, 0)
                seq[index] = n + 1
                path = stats[index].path
                if final:
                    tally.records[index] += 1
                    line = str(result.line)
                    tally.ids[index].append(json.loads(line)["id"])
                    self.db.execute("INSERT INTO outputs VALUES (?, ?, ?)", (path, n, line))
                if batch is not None:
                    blob = zlib.compress(pickle.dumps(result.part, protocol=4), 1)
                    self.db.execute(
                        "INSERT INTO evidence VALUES (?, ?, ?, ?)", (path, batch, n, blob)
                    )

    def _mark_processed(
        self, todo: list[int], stats: list[_Stat], tally: _Tally, chain: str, output: str | None
    ) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        out_name = None if output in (None, "-") else os.path.abspath(str(output))
        for index in todo:
            stat = stats[index]
            if stat.size < 0:
                continue  # could not even stat it: try again next time
            sha = stat.sha256 or _sha256(stat.path)
            self.db.execute(
                "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stat.path,
                    stat.size,
                    stat.mtime_ns,
                    sha,
                    now,
                    out_name,
                    chain,
                    tally.records[index],
                    tally.rejected[index],
                    json.dumps(tally.ids[index], ensure_ascii=False),
                ),
            )

    def lines(self, stats: list[_Stat]) -> Iterator[str]:
        """Every stored record of ``stats``' inputs, in input order."""
        for stat in stats:
            rows = self.db.execute(
                "SELECT line FROM outputs WHERE path = ? ORDER BY seq", (stat.path,)
            )
            for (line,) in rows:
                yield line


def run_with_state(
    state_path: str,
    paths: Iterable[str],
    stages: Sequence[AnyStage],
    ingest: IngestOptions,
    options: ExecOptions,
    report: Report,
    output: str | None,
    open_output: Callable[[str | None], AbstractContextManager[IO[str]]],
) -> None:
    """The incremental run: process what is new, then write every input's records."""
    state = State(state_path)
    try:
        stages = [stage.with_state(state_path) for stage in stages]
        chain = fingerprint(stages, ingest)
        inputs = Inputs.expand(paths, report)
        kept, stats = state.plan(inputs, chain)
        phases = plan(stages)
        batch_names = {number: phase.post.name for number, phase in enumerate(phases) if phase.post}
        final_phase = len(phases) - 1
        todo = inputs.todo or []
        key_source = json.dumps(
            [
                chain,
                # the work of another version's run is not read back
                WIRE_VERSION,
                options.chunk_records,
                # who reads the files decides where the chunks are cut
                options.deferring,
                [(stats[i].path, stats[i].size, stats[i].mtime_ns) for i in todo],
            ]
        )
        state.begin(hashlib.sha256(key_source.encode()).hexdigest()[:16])
        kept_set = set(kept)
        if todo:
            with engine(options, report, store=state, stages=stages) as eng:

                def evidence(post: BatchStage, ours: Iterator[tuple[int, Any]]) -> Iterator[Any]:
                    if post.keeps_evidence:
                        return (part for _, part in ours)
                    return state.evidence(kept_set, stats, post.name, ours)

                eng.evidence = evidence
                items = Reader(inputs, ingest, report, defer=options.deferring)
                eng.run(stages, items, CountingSink(report))
            state.commit(inputs, stats, batch_names, final_phase, chain, output)
        with open_output(output) as out:
            for line in state.lines(stats):
                out.write(line + "\n")
        for index in kept:
            report.kept += state.db.execute(
                "SELECT records FROM inputs WHERE path = ?", (stats[index].path,)
            ).fetchone()[0]
        report.kept_inputs = len(kept)
    finally:
        state.close()
