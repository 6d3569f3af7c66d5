"""Crash consistency (#19): ``clean --state`` killed with SIGKILL at 20 random
moments (seeded), each time resumed to the end, must give the bytes of an
uninterrupted run, and the same state: names registry and inputs rows.

The drop is WCXB dev pages (text and HTML) from ../shared/bench; the run is the
real ``clean`` chain with ``-j 2``, killed as a process group (the client and
its workers, as ``kill -9 -PGID``) at a moment drawn uniformly over the length
of an uninterrupted run, start-up included. Prints one row per kill: when,
what the state file held at that moment (chunks of work committed, inputs
committed), how long the resume took and whether all came out identical.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import data

SEED = 19
KILLS = 20
TEXT_PAGES = 120
HTML_PAGES = 12


def _drop(folder: Path) -> Path:
    """Links to the first pages of the bench: text articles and saved HTML pages."""
    folder.mkdir()
    for source in sorted((data.BENCH / "text").glob("*.txt"))[:TEXT_PAGES]:
        (folder / source.name).symlink_to(source)
    # the last pages: ids of their own (a page is in both folders under one id)
    for source in sorted((data.BENCH / "html").glob("*.html.gz"))[-HTML_PAGES:]:
        (folder / source.name).symlink_to(source)
    return folder


def _start(drop: Path, work: Path) -> subprocess.Popen[bytes]:
    work.mkdir(exist_ok=True)
    args = [sys.executable, "-m", "newsclean", "clean", str(drop), "-j", "2", "-q"]
    args += ["-o", str(work / "out.jsonl"), "--state", str(work / "s.db")]
    env = {**os.environ, "PYTHONPATH": str(data.ROOT / "src")}
    return subprocess.Popen(
        args, env=env, start_new_session=True, stderr=subprocess.DEVNULL, cwd=work
    )


def _rows(state: Path) -> list[tuple[Any, ...]]:
    """What one run leaves in the state file beyond the output: the registry's
    people and counts, and each input's record count and ids."""
    db = sqlite3.connect(state)
    try:
        rows = db.execute(
            "SELECT e.canonical, v.form, v.count FROM names_variants v "
            "JOIN names_entities e USING (entity) ORDER BY 1, 2"
        ).fetchall()
        rows += db.execute("SELECT path, records, rejected, ids FROM inputs ORDER BY 1").fetchall()
        return rows
    finally:
        db.close()


def _held(state: Path) -> tuple[int, int]:
    """(chunks of work, inputs committed) in the state file of a killed run."""
    if not state.exists():
        return 0, 0
    db = sqlite3.connect(state, timeout=30)
    try:
        work = db.execute("SELECT COUNT(*) FROM work").fetchone()[0]
        inputs = db.execute("SELECT COUNT(*) FROM inputs").fetchone()[0]
        return int(work), int(inputs)
    except sqlite3.Error:  # killed before the tables were made
        return 0, 0
    finally:
        db.close()


def _to_the_end(drop: Path, work: Path) -> float:
    start = time.perf_counter()
    proc = _start(drop, work)
    if proc.wait() != 0:
        raise SystemExit(f"bench crash: clean failed in {work}")
    return time.perf_counter() - start


def main() -> None:
    if not data.available():
        print("(skipped: the WCXB bench data is not in ../shared/bench)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-crash-") as tmp:
        base = Path(tmp)
        drop = _drop(base / "drop")
        whole_seconds = _to_the_end(drop, base / "whole")
        whole = (base / "whole" / "out.jsonl").read_bytes()
        whole_rows = _rows(base / "whole" / "s.db")
        print(
            f"drop: {TEXT_PAGES} text + {HTML_PAGES} HTML pages; uninterrupted "
            f"clean --state -j 2: {whole_seconds:.1f} s, {len(whole):,} bytes out, "
            f"{len(whole.splitlines())} records, state "
            f"{(base / 'whole' / 's.db').stat().st_size:,} bytes\n"
        )
        print(
            f"{'kill':>4} {'at s':>6} {'work chunks':>11} {'inputs':>6} {'resume s':>8}  identical"
        )
        rng = random.Random(SEED)
        same = 0
        for k in range(1, KILLS + 1):
            at = rng.uniform(0.0, 1.0) * whole_seconds
            work = base / f"kill{k:02d}"
            proc = _start(drop, work)
            time.sleep(at)
            finished = proc.poll() is not None
            if not finished:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            chunks, inputs = _held(work / "s.db")
            resume = _to_the_end(drop, work)
            output = (work / "out.jsonl").read_bytes()
            ok = output == whole and _rows(work / "s.db") == whole_rows
            same += ok
            note = " (ended before the kill)" if finished else ""
            print(
                f"{k:>4} {at:>6.1f} {chunks:>11} {inputs:>6} {resume:>8.1f}  "
                f"{'yes' if ok else 'NO'}{note}"
            )
        print(
            f"\ncrash: {KILLS} kills (seed {SEED}): {same} of {KILLS} resumes byte-identical "
            "to the uninterrupted run (output, names registry, inputs)"
        )
        if same != KILLS:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
