"""Fuzzing (#9, #19): the property tests with a larger example budget.

Runs the property tests (``FILES``: ingest, every stage of the clean chain,
the command line, deep input) under the ``fuzz`` hypothesis profile
(``NEWSCLEAN_FUZZ_EXAMPLES`` examples per property, 5,500 by default: over
100,000 cases in all) in ``NEWSCLEAN_FUZZ_SHARDS`` pytest processes at once (2
by default), and prints, per property and in total, how many cases ran and
how many failed (target: none). ``make fuzz`` runs this section alone
(``python -m bench.bench_fuzz``, exit 1 on a failure); ``make bench`` runs it
with the others.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_HEADER = re.compile(r"^(\S+\.py::\S+):$")
_COUNTS = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid test cases")
_PHASE = re.compile(r"- during (\w+) phase")
_OUTCOME = re.compile(r"(\d+) (passed|failed|xfailed|skipped|error)")


def parse(output: str) -> dict[str, dict[str, int]]:
    """Per property: cases run (passing + failing, every phase) and failing
    cases found while generating (shrinking only narrows those down)."""
    stats: dict[str, dict[str, int]] = {}
    current: dict[str, int] | None = None
    phase = ""
    for line in output.splitlines():
        line = line.strip()
        if header := _HEADER.match(line):
            current = stats.setdefault(header.group(1), {"run": 0, "failed": 0})
        elif current is not None and (match := _PHASE.match(line)):
            phase = match.group(1)
        elif current is not None and (match := _COUNTS.match(line)):
            passing, failing = int(match.group(1)), int(match.group(2))
            current["run"] += passing + failing
            if phase in ("generate", "explicit", "reuse"):
                current["failed"] += failing
    return stats


FILES = ["tests/test_properties.py", "tests/test_fault_properties.py"]


def _shards(env: dict[str, str], count: int) -> list[list[str]]:
    """The property tests' node ids, dealt into ``count`` shards."""
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", *FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    ids = [line for line in listed.splitlines() if "::" in line]
    return [ids[i::count] for i in range(count) if ids[i::count]]


def _run(env: dict[str, str], shards: list[list[str]]) -> tuple[str, str, int]:
    """Every shard at once; their output joined and the worst return code."""
    procs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
                "--hypothesis-show-statistics",
                *shard,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for shard in shards
    ]
    outputs = [proc.communicate() for proc in procs]
    codes = [proc.returncode for proc in procs]
    worst = next((code for code in codes if code not in (0, 5)), 0)
    return "\n".join(o for o, _ in outputs), "\n".join(e for _, e in outputs), worst


def main() -> int:
    """Print the figures; return the number of failures (make fuzz exits 1 on any)."""
    examples = os.environ.get("NEWSCLEAN_FUZZ_EXAMPLES", "5500")
    env = {
        **os.environ,
        "HYPOTHESIS_PROFILE": "fuzz",
        "NEWSCLEAN_FUZZ_EXAMPLES": examples,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    shards = _shards(env, int(os.environ.get("NEWSCLEAN_FUZZ_SHARDS", "2")))
    stdout, stderr, code = _run(env, shards)
    stats = parse(stdout)
    print(f"{'property':<68} {'cases':>7} {'failed':>7}")
    for name, counts in stats.items():
        print(f"{name.split('::', 1)[1]:<68} {counts['run']:>7} {counts['failed']:>7}")
    outcomes: dict[str, int] = {}
    for line in stdout.splitlines():
        if " in " in line and _OUTCOME.search(line) and not line.startswith(" "):
            for n, kind in _OUTCOME.findall(line):
                outcomes[kind] = outcomes.get(kind, 0) + int(n)
    total = sum(c["run"] for c in stats.values())
    failed = sum(c["failed"] for c in stats.values())
    print(
        f"\nfuzz: {len(stats)} properties x {examples} examples: {total} cases ran, "
        f"{failed} failed; pytest: {outcomes.get('passed', 0)} passed, "
        f"{outcomes.get('failed', 0) + outcomes.get('error', 0)} failed, "
        f"{outcomes.get('xfailed', 0)} known failures (xfail), {outcomes.get('skipped', 0)} skipped"
    )
    if code:
        # the failing cases, shrunk, as hypothesis printed them
        print(stdout.split("= Hypothesis Statistics =")[0][-6000:])
        print(stderr[-2000:], file=sys.stderr)
        return max(failed, 1)
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
