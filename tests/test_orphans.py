"""#17: worker processes end when their parent dies; an unreachable Dask
scheduler is one line on stderr and exit 1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsclean.runtime.backends import dask as dask_backend

from .conftest import ROOT, SAMPLES
from .test_scale import make_drop


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_when_the_client_is_killed(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop, 200, special=False)
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    log = tmp_path / "log"
    args = [str(drop), str(tmp_path / "out.jsonl"), str(tmp_path / "state.db"), str(log)]
    victim = subprocess.Popen(
        [sys.executable, "-m", "tests.scale_stages", *args], env=env, cwd=ROOT
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (log.exists() and log.read_text().strip()):
            time.sleep(0.05)
        workers = _children(victim.pid)
        assert workers, "the run has its worker processes"
        os.kill(victim.pid, signal.SIGKILL)  # the client only: no chance to stop its pool
        victim.wait(10)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if victim.poll() is None:
            victim.kill()


def test_an_unreachable_scheduler_is_one_line_and_exit_1(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(dask_backend, "CONNECT_TIMEOUT", 1.0)
    # port 1 on this machine: nothing listens there
    address = "tcp://127.0.0.1:1"
    result = cli("clean", str(SAMPLES), "--executor", "dask", "--scheduler", address)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"newsclean: --scheduler {address}: cannot reach the Dask scheduler within 1 s ("
    )
    assert len(result.stderr.splitlines()) == 1, result.stderr
    bad = cli("clean", str(SAMPLES), "--executor", "dask", "--scheduler", "nonsense")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("newsclean: --scheduler nonsense: not a scheduler address (")
    assert len(bad.stderr.splitlines()) == 1, bad.stderr
