"""The rule cascade strip and split were before the line model (#15), run from git.

``make bench`` compares the line model with it in the same run, so its code is not kept
in the package (no dead path): it is checked out at :data:`REF`, the last commit of main
before the model, into a temporary worktree, and its ``clean`` runs there in a
subprocess (this checkout's virtual environment, the old package first on the path).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import data

#: main before the line model: strip and split as a cascade of hand-written rules.
REF = "88e0760"


def available() -> bool:
    found = subprocess.run(
        ["git", "-C", str(data.ROOT), "cat-file", "-e", f"{REF}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def run(records: Sequence[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], float]:
    """The cascade's ``clean`` on ``records`` (one batch, -j 1): records by id and
    ms per page."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "cascade"
        subprocess.run(
            ["git", "-C", str(data.ROOT), "worktree", "add", "--detach", "-q", str(tree), REF],
            check=True,
        )
        try:
            src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
            src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            cmd = [sys.executable, "-m", "newsclean", "clean", str(src), "-q", "-j", "1"]
            start = time.perf_counter()
            subprocess.run([*cmd, "-o", str(out)], env=env, check=True)
            ms = (time.perf_counter() - start) * 1000 / max(1, len(records))
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        finally:
            subprocess.run(
                ["git", "-C", str(data.ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
            )
    return {r["id"]: r for r in rows}, ms
