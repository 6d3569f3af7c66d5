"""``clean`` at scale (#8): articles per second with -j 1 and -j 2, the speed-up,
and the peak memory of the whole process tree at 1,000 and 20,000 articles.

Text input is the five samples repeated; HTML input is the WCXB dev pages
repeated. ``newsclean clean`` runs as a subprocess, as a user would run it; its
peak memory is the largest sum of the resident sets of it and all its workers,
polled from /proc every 20 ms (the client and the largest worker are shown too).
Every run uses compiled bytecode, as an installed package does (an untimed run
fills a private cache first): the source tree may have none, and compiling
newsclean's modules on each start is a cost no installed copy pays.

The machine may be shared: each run waits (up to 20 s, 3 minutes in all) for the
rest of the machine to be idle, and the table shows how much CPU other processes used
during the runs ("other load"), and where the workers of -j 2 lost time (idle:
no chunk to work on; waiting: ready, but another process had the core, from
/proc/PID/schedstat), so a speed-up short of 2 can be traced to its cause.

Targets (issue #8): speed-up >= 1.8 on 2 cores; peak RSS at 20,000 articles
within 10% of that at 1,000; text-mode ``clean`` >= 500 articles/s per core.

Environment: NEWSCLEAN_BENCH_SCALE_HTML_BIG=1 also measures HTML memory at
20,000 pages (minutes once extract is in the chain); NEWSCLEAN_BENCH_SCALE_SPEED_N
sets the number of articles of the speed runs (default 6,000 and 20,000 text, the
size of a nightly drop the issue names, and 600 HTML pages);
NEWSCLEAN_BENCH_SCALE_ROUNDS the rounds of each speed row (default 3 for text, 5
for HTML, whose runs are shorter and noisier);
without the first, HTML memory is measured at 1,000 and 3,000 pages (both past the
711 distinct pages: a worker's peak follows the heaviest page it met, not the count).
NEWSCLEAN_BENCH_SCALE_ONLY=speed or =memory runs one half.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.data import BENCH, ROOT

SAMPLES = ROOT / "samples"


def _text_drop(folder: Path, n: int) -> Path:
    samples = sorted(SAMPLES.glob("*.txt"))
    data = [p.read_bytes() for p in samples]
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"{i:06d}_{samples[i % len(samples)].stem}.txt").write_bytes(data[i % len(data)])
    return folder


def _html_drop(folder: Path, n: int) -> Path:
    pages = sorted((BENCH / "html").glob("*.html.gz"))
    folder.mkdir(parents=True)
    for i in range(n):
        page = pages[i % len(pages)]
        # uncompressed, as a scraper leaves them; one copy per name
        name = f"{i:06d}_{page.name.removesuffix('.gz')}"
        with gzip.open(page, "rb") as src, open(folder / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return folder


def _tree_rss_kb(pid: int) -> tuple[tuple[int, int, int], list[int]]:
    """(sum, client, largest worker) of VmRSS in kB over ``pid`` and its
    descendants, and their pids. The sum counts the pages forked workers share with the client
    once per process: too high in absolute terms, but steady, so growth shows.
    (PSS would count them once, but it moves as the client's pages are copied
    on write, which looks like growth and is not.)"""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    total = client = worker = 0
    todo = [pid]
    tree: list[int] = []
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/status") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
        total += kb
        if current == pid:
            client = kb
        else:
            worker = max(worker, kb)
    return (total, client, worker), tree


_TICK = os.sysconf("SC_CLK_TCK")


def _own_cpu(pid: int) -> float | None:
    """CPU seconds ``pid`` itself has used so far (not its children)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


#: where the runs keep their bytecode (see _cache_bytecode); empty: as the caller's
#: environment has it
_BYTECODE: dict[str, str] = {}


def _cache_bytecode(work: Path, tiny: Path) -> None:
    """Have the runs use compiled bytecode, as an installed package does (pip
    compiles it), even where ``PYTHONDONTWRITEBYTECODE`` is set and the source
    tree has none: otherwise every run compiles newsclean's modules from source
    first, a start-up cost no user pays. One untimed run fills a private cache."""
    _BYTECODE["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    _clean(tiny, 2, work / "warm-up.jsonl")


@dataclass
class Run:
    """What one ``newsclean clean`` run took."""

    #: wall clock, from the start of the command to its exit
    seconds: float
    #: peak RSS (kB): whole tree, client, largest worker
    tree_kb: int
    client_kb: int
    worker_kb: int
    #: CPU seconds of the whole tree, and of the client alone (the serial side:
    #: it reads, hands out, reduces and writes)
    cpu: float
    client_cpu: float
    #: of the pool workers' lifetime: the share they had nothing to do (waiting
    #: for a chunk: the client's reduces, the tails of the phases, the drain
    #: before a recycle) and the share they were ready to run but another
    #: process had the core (the client, or other work on the machine)
    idle: float
    waiting: float
    #: CPU other processes of the machine used during the run, in cores
    other: float


def _schedstat(pid: int) -> tuple[float, float] | None:
    """(seconds on a CPU, seconds ready to run but waiting for one) of ``pid``."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            on_cpu, waiting, _ = f.read().split()
    except (OSError, ValueError):
        return None
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal: idle and iowait are not busy
    return (sum(fields[:8]) - fields[3] - fields[4]) / _TICK


def _started(pid: int) -> float | None:
    """When ``pid`` started, in seconds since boot (the clock of /proc/uptime)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[19]) / _TICK  # starttime, the 22nd field


def _uptime() -> float:
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


class _Workers:
    """Each worker's schedstat as last polled, when it started and when it was
    last seen (both from the kernel's clock, so a sparse poll loses nothing of
    a worker's life but what follows its last poll)."""

    def __init__(self) -> None:
        self.seen: dict[int, list[float]] = {}  # pid: [started, last, on_cpu, waiting]

    def poll(self, pids: list[int]) -> None:
        now = _uptime()
        for pid in pids:
            if pid not in self.seen:
                started = _started(pid)
                if started is None:
                    continue
                self.seen[pid] = [started, now, 0.0, 0.0]
            stat = _schedstat(pid)
            if stat is None:
                continue
            row = self.seen[pid]
            row[1], row[2], row[3] = now, stat[0], stat[1]

    def shares(self) -> tuple[float, float]:
        """(idle, waiting) shares of the workers' summed lifetimes."""
        life = sum(row[1] - row[0] for row in self.seen.values())
        if life <= 0:
            return 0.0, 0.0
        on_cpu = sum(row[2] for row in self.seen.values())
        waiting = sum(row[3] for row in self.seen.values())
        return max(0.0, life - on_cpu - waiting) / life, waiting / life


#: other work on the machine (in cores) below which it counts as idle
_QUIET = 0.2


#: seconds the whole section may spend waiting for an idle machine (so a machine
#: that is never idle costs at most this much)
_PATIENCE = [180.0]


def _wait_quiet(limit: float = 20.0) -> None:
    """Wait (at most ``limit`` seconds, and what is left of _PATIENCE) until the
    rest of the machine has been idle for half a second: a run that starts while
    another session is busy measures that session as much as this program."""
    start = time.perf_counter()
    deadline = start + min(limit, _PATIENCE[0])
    try:
        _wait_until_quiet(deadline)
    finally:
        _PATIENCE[0] = max(0.0, _PATIENCE[0] - (time.perf_counter() - start))


def _wait_until_quiet(deadline: float) -> None:
    while time.perf_counter() < deadline:
        busy, ours = _busy_seconds(), resource.getrusage(resource.RUSAGE_SELF)
        time.sleep(0.5)
        after, ours_after = _busy_seconds(), resource.getrusage(resource.RUSAGE_SELF)
        if busy is None or after is None:
            return
        mine = (ours_after.ru_utime + ours_after.ru_stime) - (ours.ru_utime + ours.ru_stime)
        if (after - busy - mine) / 0.5 < _QUIET:
            return


#: seconds between two looks at the process tree of a run: often for the memory
#: rows (a peak lasts little), seldom for the speed rows, where the looking
#: itself (a scan of /proc) took 7% of a core at 20 ms: CPU that -j 1 finds on
#: the idle core and -j 2 takes from its workers, 3-4% off its speed-up
POLL_MEMORY = 0.02
POLL_SPEED = 0.25


def _clean(folder: Path, jobs: int, out: Path, poll: float = POLL_MEMORY) -> Run:
    """Run ``newsclean clean`` on ``folder`` as a user would, polling its process
    tree every ``poll`` seconds (memory, CPU, the workers' scheduling)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **_BYTECODE}
    if _BYTECODE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [sys.executable, "-m", "newsclean", "clean", str(folder), "-o", str(out)]
    args += ["-j", str(jobs), "-q", "--skip-invalid"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = resource.getrusage(resource.RUSAGE_SELF)
    busy = _busy_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env)
    peaks = [0, 0, 0]
    client_cpu = 0.0
    workers = _Workers()
    while proc.poll() is None:
        sizes, tree = _tree_rss_kb(proc.pid)
        peaks = [max(p, now) for p, now in zip(peaks, sizes, strict=True)]
        workers.poll([pid for pid in tree if pid != proc.pid])
        # polled: misses at most the last poll of the client (writing the summary)
        client_cpu = _own_cpu(proc.pid) or client_cpu
        _sleep_unless_done(proc, poll)
    seconds = time.perf_counter() - start
    busy_after = _busy_seconds()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"newsclean clean failed with exit code {proc.returncode}")
    other = 0.0
    if busy is not None and busy_after is not None:
        polling = (ours_after.ru_utime + ours_after.ru_stime) - (ours.ru_utime + ours.ru_stime)
        other = max(0.0, busy_after - busy - cpu - polling) / seconds
    idle, waiting = workers.shares()
    return Run(seconds, *peaks, cpu, client_cpu, idle, waiting, other)


def _sleep_unless_done(proc: subprocess.Popen[bytes], seconds: float) -> None:
    """Wait ``seconds``, or less if ``proc`` ends first (a long poll must not add
    to the wall clock of a run)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=seconds)


def _startup(label: str, tiny: Path, work: Path) -> dict[int, Run]:
    """The fixed cost of a run (imports, each worker loading its models): ``clean``
    on 5 articles, with -j 1 and -j 2."""
    return {
        jobs: _clean(tiny, jobs, work / f"{label}-tiny-j{jobs}.jsonl", POLL_SPEED)
        for jobs in (1, 2)
    }


#: Runs of each -j per speed row; the machine's speed drifts between runs (other
#: sessions on the host), so -j 1 and -j 2 take turns and medians are printed.
#: HTML runs are fewer articles, so its row gets more rounds (5 unless set).
_ROUNDS = int(os.environ.get("NEWSCLEAN_BENCH_SCALE_ROUNDS", "0"))

#: HTML pages of the speed row: enough that the start-up (the same second or so
#: at -j 1 and -j 2, which no number of cores shortens) is a small part of a run
_HTML_N = 600


def _speed(
    label: str, folder: Path, n: int, work: Path, startup: dict[int, Run], rounds: int
) -> str:
    """Print the row of one input; return a line on its rounds, for after the table."""
    runs: dict[int, list[Run]] = {1: [], 2: []}
    ratios: list[float] = []
    same = True
    fixed = startup[2].client_cpu
    for round_ in range(rounds):
        outs = {jobs: work / f"{label}-j{jobs}.jsonl" for jobs in (1, 2)}
        # each round in the other order, so a drift weighs on both alike
        for jobs in (1, 2) if round_ % 2 == 0 else (2, 1):
            _wait_quiet()
            runs[jobs].append(_clean(folder, jobs, outs[jobs], POLL_SPEED))
        ratios.append(runs[1][-1].seconds / runs[2][-1].seconds)
        same = same and outs[1].read_bytes() == outs[2].read_bytes()
        for out in outs.values():
            out.unlink()

    def median(jobs: int, what: str) -> float:
        return statistics.median(getattr(run, what) for run in runs[jobs])

    t1, t2 = median(1, "seconds"), median(2, "seconds")
    c1, c2 = median(1, "cpu"), median(2, "cpu")
    start = {jobs: startup[jobs].seconds for jobs in (1, 2)}
    steady = (t1 - start[1]) / max(t2 - start[2], 1e-9)
    client = statistics.median((run.client_cpu - fixed) / run.cpu for run in runs[2])
    print(
        f"| {label} | {n:,} | {n / t1:,.0f} | {n / t2:,.0f} "
        f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) "
        f"| {start[1]:.1f} / {start[2]:.1f} "
        f"| {startup[1].cpu:.2f} / {startup[2].cpu:.2f} "
        f"| {steady:.2f} "
        f"| {n / c1:,.0f} | {c2 / c1:.2f} "
        f"| {client:.3f} "
        f"| {100 * median(2, 'idle'):.1f}% / {100 * median(2, 'waiting'):.1f}% "
        f"| {median(1, 'other'):.2f} / {median(2, 'other'):.2f} "
        f"| {2 * c1 / c2:.2f} | {'yes' if same else 'NO'} |"
    )
    quiet = [
        ratio
        for ratio, one, two in zip(ratios, runs[1], runs[2], strict=True)
        if max(one.other, two.other) < _QUIET
    ]
    return (
        f"{label} {n:,}, round by round: speed-up "
        + " ".join(f"{r:.2f}" for r in ratios)
        + "; other load j1 "
        + " ".join(f"{run.other:.2f}" for run in runs[1])
        + ", j2 "
        + " ".join(f"{run.other:.2f}" for run in runs[2])
        + f"; rounds with other load < {_QUIET} in both runs: {len(quiet)} of {rounds}"
        + (
            f", their median speed-up {statistics.median(quiet):.2f}"
            f" ({min(quiet):.2f}-{max(quiet):.2f})"
            if quiet
            else ""
        )
    )


def _memory(label: str, make: object, sizes: list[int], work: Path) -> None:
    base = None
    for n in sizes:
        folder = make(work / f"{label}-mem-{n}", n)  # type: ignore[operator]
        run = _clean(folder, 2, work / f"{label}-mem-{n}.jsonl")
        base = base or run.tree_kb
        print(
            f"| {label} | {n:,} | {run.tree_kb / 1024:,.1f} "
            f"| {100 * (run.tree_kb / base - 1):+.1f}% | {run.client_kb / 1024:,.1f} "
            f"| {run.worker_kb / 1024:,.1f} | {n / run.seconds:,.0f} |"
        )
        shutil.rmtree(folder)


def main() -> None:
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    print(f"{cores} cores, load average {load:.1f} (other work on the machine skews the ratios)")
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            autogroup = f.read().strip() == "1"
    except OSError:
        autogroup = False
    if autogroup:
        print(
            "sched_autogroup is on: a session's whole process tree gets one fair share of\n"
            "the CPUs, so while another session is busy, -j 2 gets no more CPU than -j 1 and\n"
            "the wall-clock speed-up says nothing; see 'CPU j2/j1' for the cost of going parallel"
        )
    speed_n = int(os.environ.get("NEWSCLEAN_BENCH_SCALE_SPEED_N", "0"))
    html_ok = (BENCH / "html").is_dir()
    only = os.environ.get("NEWSCLEAN_BENCH_SCALE_ONLY", "")
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as tmp:
        work = Path(tmp)
        tiny = _text_drop(work / "tiny-text", 5)
        _cache_bytecode(work, tiny)
        print(
            "the runs use compiled bytecode, as an installed package does"
            " (an untimed run first fills a private cache)"
        )
        if only != "memory":
            _speeds(work, speed_n, html_ok, tiny)
        if only != "speed":
            _memories(work, html_ok)
    print(
        "\ntargets: speed-up >= 1.8 on 2 cores; RSS at 20,000 within +10% of 1,000; "
        "text >= 500 articles/s per core"
    )


def _speeds(work: Path, speed_n: int, html_ok: bool, tiny: Path) -> None:
    text_rounds, html_rounds = _ROUNDS or 3, _ROUNDS or 5
    print(
        f"\nspeed ({text_rounds} rounds for text, {html_rounds} for HTML, of -j 1 and -j 2"
        "\nin turn; medians, and the speed-up's range over the rounds): articles/s (wall"
        "\nclock incl. start-up) with -j 1 and -j 2, the speed-up;"
        "\nthe start-up of each (seconds for 5 articles: imports, models loaded per worker;"
        "\nand the CPU seconds that takes, client and workers: load-independent)"
        "\nand the speed-up with it subtracted; articles per CPU-second at -j 1 (per core,"
        "\nload-independent) and the CPU -j 2 spends over -j 1 (1.00: nothing extra);"
        "\nthe client's share of the CPU at -j 2 (one process doing it for all: reading,"
        "\nhanding out, reduces, writing; less what it spends on the 5-article run: the"
        "\nstart-up); at -j 2, the share of the workers' lifetime they sat idle (no chunk"
        "\nto work on: the client's reduces, the tails of the phases, a recycle) and the"
        "\nshare they were ready but another process had the core (the client, or other"
        "\nwork); the CPU other processes on the machine used meanwhile (in cores, of 2:"
        "\nwhile it is well above 0 the wall-clock speed-up is not this program's alone);"
        "\nand the speed-up 2 cores allow at that CPU cost, 2 x CPU j1 / CPU j2, a ceiling:"
        "\nit assumes no worker is idle at the batch barriers or at the end:\n"
    )
    print(
        "| input | articles | -j 1 | -j 2 | speed-up | start-up s j1 / j2 "
        "| start-up CPU s j1 / j2 | speed-up less start-up | per core | CPU j2/j1 "
        "| client CPU j2 | workers idle / waiting j2 | other load j1 / j2 "
        "| ceiling | same bytes |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    notes: list[str] = []
    startup = _startup("text", tiny, work)
    for n_text in [speed_n] if speed_n else [6000, 20000]:
        folder = _text_drop(work / f"text-{n_text}", n_text)
        notes.append(_speed("text", folder, n_text, work, startup, text_rounds))
        shutil.rmtree(folder)
    if html_ok:
        n_html = speed_n or _HTML_N
        startup = _startup("html", _html_drop(work / "tiny-html", 5), work)
        folder = _html_drop(work / "html", n_html)
        notes.append(_speed("html", folder, n_html, work, startup, html_rounds))
        shutil.rmtree(folder)
    print()
    for note in notes:
        print(note)


def _memories(work: Path, html_ok: bool) -> None:
    print("\npeak RSS (`clean -j 2`): whole tree, vs the first size, client, largest worker\n")
    print("| input | articles | tree MB | vs first | client MB | worker MB | articles/s |")
    print("|---|---|---|---|---|---|---|")
    _memory("text", _text_drop, [1000, 20000], work)
    if html_ok:
        big = os.environ.get("NEWSCLEAN_BENCH_SCALE_HTML_BIG") == "1"
        _memory("html", _html_drop, [1000, 20000] if big else [1000, 3000], work)


if __name__ == "__main__":
    main()
