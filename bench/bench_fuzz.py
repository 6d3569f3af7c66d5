"""Fuzzing (#9): the property tests with a larger example budget.

Runs ``tests/test_properties.py`` under the ``fuzz`` hypothesis profile
(``NEWSCLEAN_FUZZ_EXAMPLES`` examples per property, 400 by default) and prints,
per property and in total, how many cases ran and how many failed (target: none).
``make fuzz`` runs this section alone (``python -m bench.bench_fuzz``, exit 1 on
a failure); ``make bench`` runs it with the others.
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


def main() -> int:
    """Print the figures; return the number of failures (make fuzz exits 1 on any)."""
    examples = os.environ.get("NEWSCLEAN_FUZZ_EXAMPLES", "400")
    env = {
        **os.environ,
        "HYPOTHESIS_PROFILE": "fuzz",
        "NEWSCLEAN_FUZZ_EXAMPLES": examples,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            "tests/test_properties.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    stats = parse(proc.stdout)
    print(f"{'property':<68} {'cases':>7} {'failed':>7}")
    for name, counts in stats.items():
        print(f"{name.split('::', 1)[1]:<68} {counts['run']:>7} {counts['failed']:>7}")
    outcomes = {kind: int(n) for n, kind in _OUTCOME.findall(proc.stdout.splitlines()[-1])}
    total = sum(c["run"] for c in stats.values())
    failed = sum(c["failed"] for c in stats.values())
    print(
        f"\nfuzz: {len(stats)} properties x {examples} examples: {total} cases ran, "
        f"{failed} failed; pytest: {outcomes.get('passed', 0)} passed, "
        f"{outcomes.get('failed', 0) + outcomes.get('error', 0)} failed, "
        f"{outcomes.get('xfailed', 0)} known failures (xfail), {outcomes.get('skipped', 0)} skipped"
    )
    if proc.returncode not in (0, 5):
        # the failing cases, shrunk, as hypothesis printed them
        print(proc.stdout.split("= Hypothesis Statistics =")[0][-6000:])
        print(proc.stderr[-2000:], file=sys.stderr)
        return max(failed, 1)
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
