"""Hostile input (#9): time and peak memory of the large hostile cases.

Each case runs ``newsclean`` in its own process (so the peak RSS is its own)
and prints exit code, wall time and peak memory. The unit tests check what
happens (processed or refused, with which message); this prints what it costs.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bomb(path: Path, gigabytes: int, unit: bytes) -> None:
    block = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
    path.write_bytes(gzip.compress(block, compresslevel=9) * (1024 * gigabytes))


def _make(where: str) -> None:
    folder = Path(where)
    line = "word " * 10_000_000
    (folder / "small.txt").write_text("A short article of one sentence only.\n")
    (folder / "line50.txt").write_text(line)
    (folder / "line50.jsonl").write_text(json.dumps({"id": "j", "text": line}) + "\n")
    _bomb(folder / "bomb2g.txt.gz", 2, b"\0")
    _bomb(folder / "newlines1g.jsonl.gz", 1, b"\n")
    paragraphs = (f"Paragraph {i} of the long report, one sentence." for i in range(10_000))
    (folder / "para10k.txt").write_text("\n\n".join(paragraphs) + "\n")
    attributes = " ".join(f"a{i}='x'" for i in range(100_000))
    (folder / "attrs.html").write_text(f"<html><body><p {attributes}>Hi.</p></body></html>")
    page = "".join(f"<p>Paragraph {i} of the long report, on day {i}.</p>" for i in range(10_000))
    (folder / "para10k.html").write_text(f"<html><body><article>{page}</article></body></html>")
    depth = 10_000
    (folder / "deep10k.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</body></html>"
    )


def _cases(folder: Path) -> list[tuple[str, list[str]]]:
    f = str
    return [
        ("baseline: a 40-byte article, clean", ["clean", f(folder / "small.txt")]),
        ("50 MB single line (.txt), ingest", ["ingest", f(folder / "line50.txt")]),
        ("50 MB single line (.txt), clean", ["clean", f(folder / "line50.txt")]),
        ("50 MB single line (.jsonl), ingest", ["ingest", f(folder / "line50.jsonl")]),
        (
            "50 MB line over --max-bytes 10 MB",
            ["ingest", f(folder / "line50.txt"), "--max-bytes", "10000000"],
        ),
        ("gzip bomb, 2 MB -> 2 GB", ["ingest", f(folder / "bomb2g.txt.gz")]),
        ("gzip bomb of newlines, 1 GB (.jsonl.gz)", ["ingest", f(folder / "newlines1g.jsonl.gz")]),
        ("10,000 paragraphs (.txt), clean", ["clean", f(folder / "para10k.txt")]),
        ("10,000 paragraphs (.html), clean", ["clean", f(folder / "para10k.html")]),
        ("tag with 100,000 attributes, clean", ["clean", f(folder / "attrs.html")]),
        ("HTML nested 10,000 deep, clean", ["clean", f(folder / "deep10k.html"), "--skip-invalid"]),
    ]


def _measure(args: list[str]) -> tuple[int, float, float]:
    """Exit code, seconds, peak RSS in MB of one newsclean run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsclean", *args, "-q", "-o", os.devnull],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, seconds, usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsclean-hostile-") as tmp:
        # made in a child process: a forked child inherits the parent's peak RSS
        subprocess.run(
            [sys.executable, "-c", f"from bench.bench_hostile import _make; _make({tmp!r})"],
            cwd=ROOT,
            check=True,
        )
        cases = _cases(Path(tmp))
        print(f"{'case':<44} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
        for label, args in cases:
            code, seconds, peak = _measure(args)
            print(f"{label:<44} {code:>4} {seconds:>8.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
