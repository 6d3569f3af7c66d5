"""Executors (#8): same output for -j 1, -j 2, Dask and the sequential runner;
time bound (#9); state file: incremental and resumable runs."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsclean.errors import InputError, NewscleanError
from newsclean.record import dumps
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.runtime.run import RunOptions, run
from newsclean.runtime.timebound import Timeout, time_limit

from .conftest import ROOT, SAMPLES, parse_jsonl
from .scale_stages import Dies, Hang, Recurring, RejectBad, Slow, StuckInC, Trim

STAGES = [Trim(), Recurring(), RejectBad()]


def make_drop(folder: Path, n: int, start: int = 0, special: bool = True) -> None:
    """``n`` small articles; every third shares a footer line, some have adverts,
    one asks to be rejected."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        lines = [f"Article {i} opens here.", f"It says {i * 7} things."]
        if i % 3 == 0:
            lines.append("Follow us on Twitter")
        if i % 4 == 1:
            lines.append(f"Advert: buy {i}")
        if special and i == 5:
            lines.append("REJECT")
        (folder / f"a{i:03d}.txt").write_text("\n".join(lines) + "\n")


def execute(
    paths: list[str], stages: list[Any], execution: ExecOptions, tmp: Path, **run_kw: Any
) -> tuple[str, str, Report]:
    """Run in-process to files; return (output, rejects, report)."""
    out, rej = tmp / "out.jsonl", tmp / "rejects.jsonl"
    report = run(
        paths,
        stages,
        IngestOptions(skip_invalid=True),
        RunOptions(output=str(out), rejects=str(rej), quiet=True, timeout=execution.timeout),
        stderr=io.StringIO(),
        execution=execution,
        **run_kw,
    )
    return out.read_text(), rej.read_text(), report


def sequential(paths: list[str], stages: list[Any]) -> tuple[str, Report]:
    report = Report(stderr=io.StringIO(), quiet=True)
    records = read_inputs(paths, IngestOptions(skip_invalid=True), report)
    text = "".join(dumps(r) + "\n" for r in run_sequential(records, stages, report))
    return text, report


def accounted(report: Report) -> None:
    assert report.records_in == report.records_out + report.rejected


def test_pool_and_inline_match_the_sequential_runner(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 30)
    (drop / "broken.txt").write_bytes(b"\x00" * 64)  # an ingest reject, in its place
    expected, seq_report = sequential([str(drop)], STAGES)
    outputs = []
    for jobs in (1, 2):
        work = tmp_path / f"j{jobs}"
        work.mkdir()
        text, rejects, report = execute(
            [str(drop)], STAGES, ExecOptions(jobs=jobs, chunk_records=4), work
        )
        accounted(report)
        assert (report.records_in, report.records_out, report.rejected) == (31, 29, 2)
        assert report.reasons == seq_report.reasons
        assert report.removed_lines == sum(len(r["removed"]) for r in parse_jsonl(text))
        outputs.append((text, rejects))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == expected
    records = parse_jsonl(expected)
    # the batch stage saw the whole batch: the shared footer went from every article
    assert all("Follow us" not in r["body"] for r in records)
    assert any(x["rule"] == "recurring" for x in records[0]["removed"])
    reasons = [json.loads(line)["reason"] for line in outputs[0][1].splitlines()]
    assert reasons == ["binary data, not text", "bad: the article asked for it"]


def test_relieving_memory_and_new_workers_after_every_chunk_change_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsclean.memo
    import newsclean.runtime.backends.pool
    import newsclean.runtime.worker

    drop = tmp_path / "drop"
    make_drop(drop, 30)
    expected, _ = sequential([str(drop)], STAGES)
    cleared: list[int] = []
    clear = newsclean.memo.clear_memos

    def counted(package: str = "newsclean") -> int:
        cleared.append(1)
        return clear(package)

    # every chunk is over the threshold; the workers fork after the patch
    monkeypatch.setattr(newsclean.runtime.worker, "RELIEF_CHARS", 1)
    monkeypatch.setattr(newsclean.memo, "clear_memos", counted)
    recycled: list[int] = []
    recycle = newsclean.runtime.backends.pool.PoolBackend._recycle

    def replaced(self: newsclean.runtime.backends.pool.PoolBackend) -> None:
        recycled.append(1)
        recycle(self)

    monkeypatch.setattr(newsclean.runtime.backends.pool, "RECYCLE_CHARS", 1)
    monkeypatch.setattr(newsclean.runtime.backends.pool.PoolBackend, "_recycle", replaced)
    for jobs in (1, 2):
        work = tmp_path / f"j{jobs}"
        work.mkdir()
        text, _, _ = execute([str(drop)], STAGES, ExecOptions(jobs=jobs, chunk_records=4), work)
        assert text == expected
    assert len(cleared) >= 8  # -j 1 relieved after each of its chunks, in this process
    assert len(recycled) >= 6  # -j 2: new workers about every chunk


def test_pool_workers_start_with_the_client_heap_frozen_and_the_client_does_not() -> None:
    """The workers' garbage collector leaves what they inherit alone (no walk
    over it, no pages copied for it); the client, perhaps a user's long-lived
    process, keeps collecting its own garbage."""
    import gc

    from newsclean.runtime.backends.pool import PoolBackend

    backend = PoolBackend(2)
    try:
        assert gc.get_freeze_count() == 0
        counts = [backend._pool.submit(gc.get_freeze_count).result() for _ in range(4)]
        assert all(count > 1000 for count in counts), counts
    finally:
        backend.close()


def _id_drop(folder: Path) -> None:
    """Repeated ids where it matters who read what first: a file read by a
    worker, a failed file whose id a later file takes, a JSONL file (read by
    the client) reusing ids of files before and after it."""
    for name, data in [
        ("a/x.txt", b"First x.\n"),
        ("b/x.txt", b"Second x.\n"),  # taken: x-2
        ("c/y.txt", b"\x00" * 64),  # binary: rejected, so y stays free
        ("d/y.txt", b"The y that is read.\n"),  # y, not y-2
        ("e/z.jsonl", b'{"id": "x", "text": "x from JSONL."}\n{"id": "w", "text": "w."}\n'),
        ("f/w.txt", b"A w file after the JSONL w.\n"),  # w-2
        ("g/v.txt", b""),  # empty: rejected
        ("h/v.txt", b"The v that is read.\n"),
        ("i/x.html", b"<html><body><p>An x page.</p></body></html>"),  # x-4
    ]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def test_ids_are_made_unique_as_a_sequential_read_would_when_workers_read(
    tmp_path: Path,
) -> None:
    drop = tmp_path / "drop"
    _id_drop(drop)
    ingest = IngestOptions(skip_invalid=True, unique_ids=True)
    report = Report(stderr=io.StringIO(), quiet=True)
    expected = [(r["id"], r["source"]["path"]) for r in read_inputs([str(drop)], ingest, report)]
    assert [i for i, _ in expected] == ["x", "x-2", "y", "x-3", "w", "w-2", "v", "x-4"]
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}.jsonl"
        got = run(
            [str(drop)],
            [Trim()],
            ingest,
            RunOptions(output=str(out), quiet=True),
            stderr=io.StringIO(),
            execution=ExecOptions(jobs=jobs, chunk_records=2),
        )
        records = parse_jsonl(out.read_text())
        assert [(r["id"], r["source"]["path"]) for r in records] == expected
        assert (got.records_in, got.records_out, got.rejected) == (10, 8, 2)


def test_a_repeated_id_stops_the_run_when_workers_read(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    for name in ("a/x.txt", "b/x.txt"):
        (drop / name).parent.mkdir(parents=True, exist_ok=True)
        (drop / name).write_text("Some text.\n")
    for jobs in (1, 2):
        with pytest.raises(InputError, match=r"id 'x' already used by .*a/x\.txt"):
            run(
                [str(drop)],
                [Trim()],
                IngestOptions(skip_invalid=False),
                RunOptions(output=str(tmp_path / "out.jsonl"), quiet=True),
                stderr=io.StringIO(),
                execution=ExecOptions(jobs=jobs, chunk_records=2),
            )
        assert not (tmp_path / "out.jsonl").exists()
    # skipping invalid input: the repeat is a reject; a y after a binary y is read
    (drop / "c").mkdir()
    (drop / "c/y.txt").write_bytes(b"\x00" * 64)
    (drop / "d").mkdir()
    (drop / "d/y.txt").write_text("Some text.\n")
    out = tmp_path / "skip.jsonl"
    got = run(
        [str(drop)],
        [Trim()],
        IngestOptions(skip_invalid=True),
        RunOptions(output=str(out), quiet=True),
        stderr=io.StringIO(),
        execution=ExecOptions(jobs=2, chunk_records=2),
    )
    assert [r["id"] for r in parse_jsonl(out.read_text())] == ["x", "y"]
    assert sorted(got.reasons) == [
        "binary data, not text",
        "id 'x' already used by "
        + str(drop / "a/x.txt")
        + " (use --unique-ids to suffix repeats, or --ids path)",
    ]


def test_a_hanging_article_becomes_a_reject_and_the_batch_goes_on(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 6, special=False)
    (drop / "a002.txt").write_text("Article 2\nHANG\n")
    for jobs in (1, 2):
        work = tmp_path / f"j{jobs}"
        work.mkdir()
        start = time.monotonic()
        text, rejects, report = execute(
            [str(drop)],
            [Trim(), Hang()],
            ExecOptions(jobs=jobs, timeout=0.3, chunk_records=2),
            work,
        )
        assert time.monotonic() - start < 10
        accounted(report)
        assert (report.records_out, report.rejected) == (5, 1)
        row = json.loads(rejects)
        assert row["reason"] == "timeout: hang took more than 0.3 s"
        assert row["input"]["id"] == "a002"
        assert [r["id"] for r in parse_jsonl(text)] == ["a000", "a001", "a003", "a004", "a005"]


def test_a_worker_stuck_beyond_the_alarm_is_stopped_and_its_article_rejected(
    tmp_path: Path,
) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 10, special=False)
    (drop / "a004.txt").write_text("Article 4\nSTUCK\n")
    stages = [Trim(), Recurring(), StuckInC()]
    options = ExecOptions(jobs=2, timeout=0.2, chunk_records=3)
    text, rejects, report = execute([str(drop)], stages, options, tmp_path)
    accounted(report)
    assert (report.records_out, report.rejected) == (9, 1)
    row = json.loads(rejects)
    assert (row["reason"], row["input"]["id"]) == ("timeout: stuck took more than 0.2 s", "a004")
    assert "a004" not in [r["id"] for r in parse_jsonl(text)]
    # the same records as a run where nothing got stuck, less that one
    (drop / "a004.txt").unlink()
    clean = tmp_path / "clean"
    clean.mkdir()
    expected, _, _ = execute([str(drop)], [Trim(), Recurring()], options, clean)
    assert text == expected


def test_a_record_that_kills_every_worker_stops_the_run(tmp_path: Path) -> None:
    """The pool is rebuilt for a worker that died, but not forever: a record
    that kills each worker it meets ends the run with an error, not a hang."""
    drop = tmp_path / "drop"
    make_drop(drop, 6, special=False)
    (drop / "a002.txt").write_text("Article 2\nDIE\n")
    options = ExecOptions(jobs=2, chunk_records=2)
    with pytest.raises(NewscleanError, match="worker processes died 6 times in a row"):
        execute([str(drop)], [Trim(), Dies()], options, tmp_path)


def test_time_limit_in_a_thread_uses_the_watchdog() -> None:
    outcome: list[str] = []

    def spin() -> None:
        try:
            with time_limit(0.2):
                while True:
                    pass
        except Timeout:
            outcome.append("timeout")
        with time_limit(5):  # a bound that does not fire leaves nothing pending
            sum(range(1000))
        time.sleep(0.05)
        outcome.append("after")

    thread = threading.Thread(target=spin)
    thread.start()
    thread.join(10)
    assert outcome == ["timeout", "after"]


def test_dask_local_cluster_gives_the_same_output(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    drop = tmp_path / "drop"
    make_drop(drop, 8)
    (drop / "a007.txt").write_text("Article 7\nHANG\n")
    stages = [Trim(), Recurring(), RejectBad(), Hang()]
    local = tmp_path / "local"
    local.mkdir()
    dask = tmp_path / "dask"
    dask.mkdir()
    options = {"timeout": 1.0, "chunk_records": 3}
    expected = execute([str(drop)], stages, ExecOptions(jobs=1, **options), local)  # type: ignore[arg-type]
    # with a state file too: the store of the run is then SQLite, not a spill file
    got = execute(
        [str(drop)],
        stages,
        ExecOptions(jobs=2, executor="dask", **options),  # type: ignore[arg-type]
        dask,
        state=str(dask / "state.db"),
    )
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert "timeout: hang took more than 1 s" in got[1]
    accounted(got[2])
    assert (got[2].records_out, got[2].rejected) == (6, 2)


def test_clean_cli_same_bytes_for_any_jobs(cli, tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.jsonl"
        result = cli("clean", str(SAMPLES), "-o", str(out), "-j", jobs)
        assert result.exit_code == 0, result.stderr
        assert "5 in, 5 out, 0 rejected" in result.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert len(parse_jsonl(outs[0].decode())) == 5
    quiet = cli("clean", str(SAMPLES), "-q", "-j", "2")
    assert quiet.stderr == ""
    assert quiet.stdout.encode() == outs[0]


# --- state ------------------------------------------------------------------------


def test_incremental_rerun_processes_only_the_new_file(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 6, special=False)
    state = str(tmp_path / "state.db")
    stages = [Trim(), Recurring(), Slow(seconds=0, log=str(tmp_path / "seen.log"))]
    first, _, report = execute([str(drop)], stages, ExecOptions(jobs=1), tmp_path, state=state)
    assert (report.records_in, report.records_out, report.kept) == (6, 6, 0)
    # a new article that shares a line only with an old one: the evidence of the
    # kept inputs is in the state file, so the line is recognised as recurring
    (drop / "a100.txt").write_text("A new article.\nIt says 0 things.\n")
    (tmp_path / "seen.log").unlink()
    second, _, report = execute([str(drop)], stages, ExecOptions(jobs=2), tmp_path, state=state)
    assert (tmp_path / "seen.log").read_text().split() == ["a100"]
    assert (report.records_in, report.records_out, report.kept, report.kept_inputs) == (1, 1, 6, 6)
    records = parse_jsonl(second)
    assert [r["id"] for r in records] == ["a000", "a001", "a002", "a003", "a004", "a005", "a100"]
    assert second.startswith(first)
    assert records[-1]["body"] == "A new article."
    # a changed file is processed again; an untouched re-run processes nothing
    (drop / "a003.txt").write_text("Article 3 rewritten.\n")
    (tmp_path / "seen.log").unlink()
    third, _, report = execute([str(drop)], stages, ExecOptions(jobs=1), tmp_path, state=state)
    assert (tmp_path / "seen.log").read_text().split() == ["a003"]
    assert parse_jsonl(third)[3]["body"] == "Article 3 rewritten."
    fourth, _, report = execute([str(drop)], stages, ExecOptions(jobs=1), tmp_path, state=state)
    assert (report.records_in, report.kept) == (0, 7)
    assert fourth == third
    db = sqlite3.connect(state)
    rows = db.execute("SELECT path, size, sha256, records, output FROM inputs ORDER BY path")
    rows_list = list(rows)
    assert len(rows_list) == 7
    assert rows_list[0][0] == str(drop / "a000.txt")
    assert rows_list[0][4] == str(tmp_path / "out.jsonl")
    assert db.execute("SELECT COUNT(*) FROM work").fetchone() == (0,)


def test_killed_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 24, special=False)
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}

    def start(name: str) -> subprocess.Popen[bytes]:
        work = tmp_path / name
        work.mkdir(exist_ok=True)
        args = [str(drop), str(work / "out.jsonl"), str(work / "state.db"), str(work / "log")]
        return subprocess.Popen(
            [sys.executable, "-m", "tests.scale_stages", *args],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )

    assert start("whole").wait(60) == 0
    whole = (tmp_path / "whole" / "out.jsonl").read_bytes()
    assert len(whole.splitlines()) == 24

    victim = start("killed")
    state = tmp_path / "killed" / "state.db"
    log = tmp_path / "killed" / "log"
    deadline = time.monotonic() + 60

    def committed() -> int:
        # chunks of the last phase (the slow one) committed to the state file
        if not state.exists():
            return 0
        db = sqlite3.connect(state, timeout=10)
        try:
            return int(db.execute("SELECT COUNT(*) FROM work WHERE phase = 1").fetchone()[0])
        except sqlite3.OperationalError:  # tables not made yet
            return 0
        finally:
            db.close()

    while committed() < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(victim.pid, signal.SIGKILL)  # the run and its workers, as `kill -9 -PGID`
    victim.wait(10)
    assert not (tmp_path / "killed" / "out.jsonl").exists()
    assert not list((tmp_path / "killed").glob(".newsclean-*"))
    done = committed()
    assert 2 <= done <= 12  # chunks of 2 records, 24 records
    ran_before = len(log.read_text().split())
    left = list(Path(tempfile.gettempdir()).glob(f"newsclean-pool-{victim.pid}-*"))
    assert left  # SIGKILL left the phase specs behind...
    assert start("killed").wait(60) == 0
    assert not any(p.exists() for p in left)  # ...and the next run swept them
    assert (tmp_path / "killed" / "out.jsonl").read_bytes() == whole
    # the resumed run computed only the chunks not committed before the kill
    assert len(log.read_text().split()) == ran_before + 24 - 2 * done
    assert sqlite3.connect(state).execute("SELECT COUNT(*) FROM work").fetchone() == (0,)


def test_clean_with_state_keeps_the_names_registry_in_the_state_file(cli, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for sample in samples[:3]:
        (drop / sample.name).write_bytes(sample.read_bytes())
    state, out = tmp_path / "s.db", tmp_path / "out.jsonl"
    first = cli("clean", str(drop), "-o", str(out), "--state", str(state), "-j", "1")
    assert first.exit_code == 0, first.stderr
    assert "3 in, 3 out, 0 rejected" in first.stderr
    db = sqlite3.connect(state)
    assert db.execute("SELECT COUNT(*) FROM names_entities").fetchone()[0] > 0
    db.close()
    for sample in samples[3:]:
        (drop / sample.name).write_bytes(sample.read_bytes())
    second = cli("clean", str(drop), "-o", str(out), "--state", str(state), "-j", "2")
    assert second.exit_code == 0, second.stderr
    assert "2 in, 2 out, 0 rejected" in second.stderr
    assert "3 kept from 3 unchanged inputs" in second.stderr
    records = parse_jsonl(out.read_text())
    assert [r["id"] for r in records] == [p.name.removesuffix(".txt") for p in samples]
    assert all(r["body"] for r in records)


def test_progress_bar_stays_silent_in_the_first_second() -> None:
    """#17: a run that ends within ``after`` seconds shows only its summary."""
    from newsclean.runtime.progress import Bar

    stream = io.StringIO()
    bar = Bar(stream, every=0, after=3600)
    bar.phase(1, 1, 10)
    bar.advance(10)
    bar.close()
    assert stream.getvalue() == ""


def test_progress_bar_shows_done_rate_and_time_left() -> None:
    from newsclean.runtime.progress import Bar

    stream = io.StringIO()
    bar = Bar(stream, every=0, after=0)
    bar.phase(1, 2, None)
    bar.advance(10)
    assert "phase 1/2 10 articles" in stream.getvalue()
    bar.phase(2, 2, 40)
    bar.advance(10)
    line = stream.getvalue().rsplit("\r", 1)[-1]
    assert "phase 2/2 [#####...............] 10/40 articles" in line
    assert "/s" in line and " left" in line
    bar.close()
    assert stream.getvalue().endswith("\r")


def test_sigterm_stops_clean_without_leaving_a_partial_output(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 40, special=False)
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    code = (
        "import sys; from tests.scale_stages import Slow; import newsclean.stages.chain as c;"
        "c.clean_chain = lambda config: [Slow(seconds=0.5)];"
        "from newsclean.cli import app; sys.argv = ['newsclean'] + sys.argv[1:]; app()"
    )
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-c", code, "clean", str(drop), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    # the temporary output appears once the run is under way (and the handler set)
    while not list(tmp_path.glob(".newsclean-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    start = time.monotonic()
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 3  # the work in flight is not waited for
    assert proc.returncode == 130, err
    assert b"interrupted" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".newsclean-*"))


def test_folder_walk_is_lazy_and_in_sorted_path_order(tmp_path: Path) -> None:
    from newsclean.runtime.ingest import expand

    names = ["a.txt", "a/x.txt", "a/b/c.txt", "ab/y.txt", "a b/z.txt", "A.txt", "a-/q.txt", "_.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    walked = expand([str(tmp_path)], Report(stderr=io.StringIO()))
    first = next(walked)  # a generator: the walk has not listed every folder yet
    got = [first, *walked]
    rel = [tuple(Path(os.path.relpath(i.path, tmp_path)).parts) for i in got]
    assert rel == sorted(tuple(Path(n).parts) for n in names)


def test_packed_records_round_trip_and_old_zlib_blobs_still_read() -> None:
    import pickle
    import zlib

    from newsclean.runtime.wire import pack_records, unpack_records

    records = [{"id": "a", "text": "é" * 1000}, {"id": "b", "names": [], "lang": None}]
    assert unpack_records(pack_records(records)) == records
    assert unpack_records(b"") == []
    # a --state file written before LZ4 holds zlib blobs: a resumed run reads them
    old = zlib.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), 1)
    assert unpack_records(old) == records
