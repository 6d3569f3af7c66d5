"""Faults of ``clean --state`` (#19): one writer, the file not its spelling,
another program's database refused, and a run killed anywhere resumes to the
bytes of an uninterrupted run, names registry included, with the real chain."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.report import Report
from newsclean.runtime.run import RunOptions, run
from newsclean.stages.chain import CleanConfig, clean_chain

from .conftest import ROOT, SAMPLES


def make_drop(folder: Path) -> Path:
    """The five samples, twice (the second copy with other names): ten articles
    sharing people, so the names registry has entities and counts above one."""
    folder.mkdir(parents=True, exist_ok=True)
    for sample in sorted(SAMPLES.glob("*.txt")):
        (folder / sample.name).write_bytes(sample.read_bytes())
        (folder / f"b{sample.name}").write_bytes(sample.read_bytes())
    return folder


def clean_with_state(drop: Path, out: Path, state: str, jobs: int = 1) -> Report:
    return run(
        [str(drop)],
        clean_chain(CleanConfig()),
        IngestOptions(),
        RunOptions(output=str(out), quiet=True),
        stderr=io.StringIO(),
        execution=ExecOptions(jobs=jobs, chunk_records=2),
        state=state,
    )


def registry_rows(state: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(state)
    try:
        rows = db.execute(
            "SELECT e.canonical, v.form, v.count FROM names_variants v "
            "JOIN names_entities e USING (entity) ORDER BY 1, 2"
        ).fetchall()
        inputs = db.execute("SELECT path, records, rejected, ids FROM inputs ORDER BY 1")
        return [*rows, *inputs.fetchall()]
    finally:
        db.close()


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, list[tuple[Any, ...]]]:
    """An uninterrupted run: its drop, output bytes and state rows."""
    base = tmp_path_factory.mktemp("whole")
    drop = make_drop(base / "drop")
    out, state = base / "out.jsonl", base / "s.db"
    report = clean_with_state(drop, out, str(state))
    assert report.records_out == 10 and not report.failed
    rows = registry_rows(state)
    assert any(row[2] > 1 for row in rows if isinstance(row[2], int) and len(row) == 3)
    return drop, out.read_bytes(), rows


def _die_in_child(tmp: Path, drop: Path, kill: Callable[[pytest.MonkeyPatch], None]) -> None:
    """Run ``clean --state`` in a forked child that dies (``os._exit``, as abrupt
    as SIGKILL: no cleanup, no rollback) where ``kill`` says."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            patch = pytest.MonkeyPatch()
            kill(patch)
            clean_with_state(drop, tmp / "out.jsonl", str(tmp / "s.db"))
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9, "the child was to die before the end"


def _exit_on_call(patch: pytest.MonkeyPatch, owner: Any, name: str, n: int, after: bool) -> None:
    original = getattr(owner, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == n and not after:
            os._exit(9)
        result = original(*args, **kwargs)
        if calls[0] == n and after:
            os._exit(9)
        return result

    patch.setattr(owner, name, wrapper)


def _kill_at_put(n: int) -> Callable[[pytest.MonkeyPatch], None]:
    from newsclean.runtime.state import State

    return lambda patch: _exit_on_call(patch, State, "put", n, after=True)


def _kill_after_names_reduce(patch: pytest.MonkeyPatch) -> None:
    from newsclean.stages.names.stage import NamesStage

    _exit_on_call(patch, NamesStage, "reduce", 1, after=True)


def _kill_in_commit_after_registry(patch: pytest.MonkeyPatch) -> None:
    from newsclean.stages.names import registry

    _exit_on_call(patch, registry, "write", 1, after=True)


def _kill_before_output(patch: pytest.MonkeyPatch) -> None:
    import newsclean.runtime.output as output_module

    # the output is opened through output.projected (which writes the fields chosen)
    _exit_on_call(patch, output_module, "open_output", 1, after=False)


KILLS = {
    "first chunk stored": _kill_at_put(1),
    "mid strip phase": _kill_at_put(3),
    "mid split and names phase": _kill_at_put(7),
    "mid last phase": _kill_at_put(13),
    "after names reduce": _kill_after_names_reduce,
    "in commit, registry written": _kill_in_commit_after_registry,
    "committed, output not written": _kill_before_output,
}


@pytest.mark.parametrize("point", list(KILLS))
def test_a_run_killed_anywhere_resumes_to_the_bytes_of_an_uninterrupted_one(
    point: str, whole: tuple[Path, bytes, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    drop, expected, rows = whole
    _die_in_child(tmp_path, drop, KILLS[point])
    assert not (tmp_path / "out.jsonl").exists()
    report = clean_with_state(drop, tmp_path / "out.jsonl", str(tmp_path / "s.db"))
    assert not report.failed
    assert (tmp_path / "out.jsonl").read_bytes() == expected
    # the registry and the inputs are as one run leaves them: nothing counted twice
    assert registry_rows(tmp_path / "s.db") == rows
    db = sqlite3.connect(tmp_path / "s.db")
    assert db.execute("SELECT COUNT(*) FROM work").fetchone() == (0,)
    db.close()


def test_a_second_run_on_a_locked_state_file_stops_with_a_message(cli, tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    state, out = tmp_path / "s.db", tmp_path / "out.jsonl"
    fd = os.open(state, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a run holding it does
        result = cli("clean", str(drop), "-o", str(out), "--state", "./" + os.path.relpath(state))
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert "in use by another newsclean run" in result.stderr
    assert str(state) in result.stderr or "s.db" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_two_runs_at_once_one_writes_the_other_stops(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "newsclean", "clean", str(drop), "-j", "1"),
                *("-o", str(tmp_path / f"out{i}.jsonl"), "--state", str(tmp_path / "s.db")),
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    results = [(p.wait(120), p.communicate()[1]) for p in procs]
    for i, (code, err) in enumerate(results):
        out = tmp_path / f"out{i}.jsonl"
        if code == 0:  # what it reports is what it wrote
            assert "10 in, 10 out" in err or "10 kept" in err
            assert len(out.read_text().splitlines()) == 10
        else:
            assert code == 1 and "in use by another newsclean run" in err, err
            assert not out.exists()
    assert any(code == 0 for code, _ in results)


def test_the_state_file_is_the_file_whatever_the_spelling_of_its_path(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = make_drop(tmp_path / "drop")
    out = tmp_path / "out.jsonl"
    monkeypatch.chdir(tmp_path)
    os.symlink("s.db", tmp_path / "link.db")
    first = cli("clean", str(drop), "-o", str(out), "--state", "s.db", "-j", "1")
    assert first.exit_code == 0, first.stderr
    rows = registry_rows(tmp_path / "s.db")
    expected = out.read_bytes()
    for spelling in ("./s.db", str(tmp_path / "s.db"), "link.db", "drop/../s.db"):
        again = cli("clean", str(drop), "-o", str(out), "--state", spelling, "-j", "1")
        assert again.exit_code == 0, again.stderr
        assert "0 in, 0 out" in again.stderr and "10 kept" in again.stderr, spelling
        assert out.read_bytes() == expected
        assert registry_rows(tmp_path / "s.db") == rows


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_another_programs_database_is_refused_and_left_as_it_was(cli, tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    other = tmp_path / "app.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE users (name TEXT)")
    db.execute("INSERT INTO users VALUES ('ann')")
    db.commit()
    db.close()
    before = _md5(other)
    result = cli("clean", str(drop), "-o", str(tmp_path / "o.jsonl"), "--state", str(other))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"newsclean: {other}: not a newsclean state file (another program's database: tables users)"
    )
    assert _md5(other) == before
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n" * 10)
    result = cli("clean", str(drop), "-o", str(tmp_path / "o.jsonl"), "--state", str(text))
    assert result.exit_code == 1
    assert "not a newsclean state file (not an SQLite database)" in result.stderr
    assert text.read_text() == "not a database at all\n" * 10


def test_stored_outputs_are_compressed_and_old_uncompressed_rows_still_read(
    whole: tuple[Path, bytes, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    drop, expected, _ = whole
    state = tmp_path / "s.db"
    clean_with_state(drop, tmp_path / "out.jsonl", str(state))
    db = sqlite3.connect(state)
    stored = db.execute("SELECT SUM(LENGTH(line)), COUNT(*) FROM outputs").fetchone()
    assert stored[1] == 10 and stored[0] < len(expected) / 2
    # the run's work is gone from the file, not left as free pages
    assert db.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert db.execute("PRAGMA auto_vacuum").fetchone() == (2,)  # incremental
    pages = 24 * 4096  # a page or two for each table and index, and the registry
    assert state.stat().st_size <= 1.5 * len(expected) + pages
    # a row an earlier version wrote (the line as text) reads as it was
    path, line = db.execute("SELECT path, line FROM outputs ORDER BY path LIMIT 1").fetchone()
    import zlib

    db.execute("UPDATE outputs SET line = ? WHERE path = ?", (zlib.decompress(line).decode(), path))
    db.commit()
    db.close()
    clean_with_state(drop, tmp_path / "again.jsonl", str(state))
    assert (tmp_path / "again.jsonl").read_bytes() == expected
