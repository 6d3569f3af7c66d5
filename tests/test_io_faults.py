"""Faults of the machine and of the command line (#19): every I/O failure is one
line naming the path (exit 1) with no half-written file; option values and
outputs that clash are usage errors (exit 2) before anything is read; deep
inputs are refused one by one (JSONL) or keep their text (HTML)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsclean.errors import InputError
from newsclean.record import Record
from newsclean.runtime.checks import read_limited
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.output import sweep_parts
from newsclean.runtime.report import Report
from newsclean.runtime.run import RunOptions, run
from newsclean.stages.base import BatchStage, Stage

from .conftest import ROOT, SAMPLES, parse_jsonl
from .scale_stages import Hang, Trim


def drop_of(folder: Path, n: int = 5) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sample in sorted(SAMPLES.glob("*.txt"))[:n]:
        (folder / sample.name).write_bytes(sample.read_bytes())
    return folder


def usage_text(stderr: str) -> str:
    """A usage error's message out of its box, its lines joined."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", stderr).split())


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- a small disk -------------------------------------------------------------------


def _can_mount() -> str | None:
    """Why a tmpfs cannot be mounted here, or None."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    probe = tempfile.mkdtemp()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            return f"mount -t tmpfs failed: {done.stderr.decode().strip()}"
        subprocess.run(["umount", probe], check=True)
        return None
    finally:
        os.rmdir(probe)


_NO_MOUNT = _can_mount()
needs_mount = pytest.mark.skipif(_NO_MOUNT is not None, reason=_NO_MOUNT or "")


@contextlib.contextmanager
def small_disk(where: Path, size: str = "256k", read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where``, full to the last few bytes (or
    read-only), unmounted on the way out."""
    where.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], check=True)
    try:
        if not read_only:
            with contextlib.suppress(OSError), open(where / "filler", "wb") as f:
                while True:
                    f.write(b"\0" * 4096)
                    f.flush()
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


@needs_mount
def test_output_on_a_full_disk_is_one_line_and_leaves_no_file(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    with small_disk(tmp_path / "disk") as disk:
        before = sorted(os.listdir(disk))
        out = disk / "out.jsonl"
        result = cli("clean", str(drop), "-o", str(out), "-j", "1")
        assert result.exit_code == 1
        assert one_line(result.stderr) == (
            f"newsclean: {out}: cannot write: No space left on device"
        )
        assert sorted(os.listdir(disk)) == before  # no output, no temporary file


@needs_mount
def test_rejects_on_a_full_disk_is_one_line(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    (drop / "bad.jsonl").write_text('{"nope": 1}\n' * 2000)
    with small_disk(tmp_path / "disk") as disk:
        rejects = disk / "rejects.jsonl"
        args = ["clean", str(drop), "--skip-invalid", "--rejects", str(rejects), "-j", "1"]
        result = cli(*args, "-o", str(tmp_path / "out.jsonl"))
        assert result.exit_code == 1
        assert one_line(result.stderr) == (
            f"newsclean: {rejects}: cannot write: No space left on device"
        )
        assert not rejects.exists()


@needs_mount
def test_state_on_a_full_disk_is_one_line(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    with small_disk(tmp_path / "disk", size="64k") as disk:
        os.unlink(disk / "filler")  # room to make the file, not to fill it
        with open(disk / "filler", "wb") as f:
            f.write(b"\0" * 40_000)
        state = disk / "s.db"
        out = tmp_path / "out.jsonl"
        result = cli("clean", str(drop), "-o", str(out), "--state", str(state), "-j", "1")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith(f"newsclean: {state}: "), line
        assert "full" in line or "No space" in line, line
        assert not out.exists()


@needs_mount
def test_a_full_temporary_folder_is_one_line_naming_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = drop_of(tmp_path / "drop")
    with small_disk(tmp_path / "tmp", size="64k") as disk:
        monkeypatch.setattr(tempfile, "tempdir", str(disk))
        result = cli("clean", str(drop), "-o", str(tmp_path / "out.jsonl"), "-j", "1")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith(f"newsclean: {disk}"), line
        assert "full" in line or "No space" in line, line
        assert not (tmp_path / "out.jsonl").exists()


@needs_mount
def test_output_on_a_read_only_file_system_is_one_line(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    with small_disk(tmp_path / "ro", read_only=True) as disk:
        out = disk / "out.jsonl"
        result = cli("clean", str(drop), "-o", str(out), "-j", "1")
        assert result.exit_code == 1
        assert one_line(result.stderr) == f"newsclean: {out}: cannot write: Read-only file system"


def test_dev_full_as_output_or_stdout_is_one_line(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    result = cli("clean", str(drop), "-o", "/dev/full", "-j", "1")
    assert result.exit_code == 1
    assert one_line(result.stderr) == "newsclean: /dev/full: cannot write: No space left on device"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "newsclean", "ingest", str(drop)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    assert done.returncode == 1
    assert one_line(done.stderr) == "newsclean: <stdout>: cannot write: No space left on device"


def test_an_unwritable_folder_is_one_line(cli, tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop")
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    out = blocker / "out.jsonl"
    result = cli("clean", str(drop), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    assert one_line(result.stderr).startswith(f"newsclean: {out}: cannot write: ")


# --- option values and clashing paths: usage errors before anything is read ---------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--timeout", "nan"], "--timeout"),
        (["--timeout", "inf"], "--timeout"),
        (["--timeout", "-1"], "--timeout"),
        (["--timeout", "9223372037"], "--timeout"),  # the timers overflow (found by make fuzz)
        (["--max-bytes", "-1"], "--max-bytes"),
        (["--max-bytes", "0"], "--max-bytes"),
        (["-o", ""], "--output"),
        (["--rejects", ""], "--rejects"),
        (["--state", ""], "--state"),
        (["--max-html-bytes", "0"], "--max-html-bytes"),
        (["-j", "-2"], "--jobs"),
    ],
)
def test_bad_option_values_are_usage_errors(
    cli, tmp_path: Path, args: list[str], flag: str
) -> None:
    drop = drop_of(tmp_path / "drop", 1)
    result = cli("clean", str(drop), *args)
    assert result.exit_code == 2, result.stderr
    assert flag in usage_text(result.stderr)
    assert result.stdout == ""


def test_zero_timeout_is_no_limit_and_a_huge_max_bytes_allocates_nothing(
    cli, tmp_path: Path
) -> None:
    drop = drop_of(tmp_path / "drop", 2)
    result = cli("ingest", str(drop), "--timeout", "0", "--max-bytes", "100000000000")
    assert result.exit_code == 0, result.stderr
    assert len(parse_jsonl(result.stdout)) == 2


def test_max_bytes_reads_in_chunks() -> None:
    sizes: list[int] = []

    class Stream(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            sizes.append(-1 if n is None else n)
            return super().read(n)

    data = b"x" * (3 << 20)
    assert read_limited(Stream(data), "f", 10**11) == data
    assert max(sizes) <= 1 << 20
    with pytest.raises(InputError, match="larger than the 2000000-byte limit"):
        read_limited(Stream(data), "f", 2_000_000)


def test_two_outputs_on_one_file_or_an_output_on_an_input_are_usage_errors(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    good = '{"id": "a", "text": "A good article."}\n'
    (tmp_path / "in.jsonl").write_text(good)
    drop = drop_of(tmp_path / "drop", 2)
    (drop / "old.jsonl").write_text(good)
    cases = [
        (["in.jsonl", "-o", "in.jsonl"], "--output", "is an input"),
        (["in.jsonl", "--rejects", "./in.jsonl"], "--rejects", "is an input"),
        (["in.jsonl", "-o", "o.jsonl", "--rejects", "o.jsonl"], "--rejects", "two outputs"),
        (["*.jsonl", "-o", str(tmp_path / "in.jsonl")], "--output", "is an input"),
        (["drop", "-o", "drop/old.jsonl"], "--output", "inside the input folder"),
        (["in.jsonl", "-o", "o.jsonl", "--state", "o.jsonl"], "--state", "two outputs"),
        (["in.jsonl", "-o", "o.jsonl", "--state", "in.jsonl"], "--state", "is an input"),
    ]
    for args, flag, why in cases:
        result = cli("clean", *args)
        assert result.exit_code == 2, (args, result.stderr)
        message = usage_text(result.stderr)
        assert flag in message and why in message, (args, message)
        assert (tmp_path / "in.jsonl").read_text() == good
        assert not (tmp_path / "o.jsonl").exists()
    # stdout and a device may be shared; a new output inside the folder is fine
    ok = cli("ingest", "in.jsonl", "-o", "/dev/null", "--rejects", "/dev/null")
    assert ok.exit_code == 0, ok.stderr


# --- deep inputs ----------------------------------------------------------------------


def _deep_json(levels: int) -> str:
    return '{"id": "deep", "text": "Deep.", "meta": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_nested_500_deep_is_rejected_alone_with_its_reason(
    cli, tmp_path: Path, jobs: str
) -> None:
    path = tmp_path / "in.jsonl"
    rows = [
        '{"id": "a", "text": "First article."}',
        _deep_json(500),
        '{"id": "b", "text": "Second article."}',
    ]
    path.write_text("\n".join(rows) + "\n")
    stopped = cli("clean", str(path), "-j", jobs)
    assert stopped.exit_code == 1
    assert one_line(stopped.stderr) == (f"newsclean: {path}:2: JSON nested deeper than 100 levels")
    rejects = tmp_path / "rejects.jsonl"
    skipped = cli("clean", str(path), "-j", jobs, "--skip-invalid", "--rejects", str(rejects))
    assert [r["id"] for r in parse_jsonl(skipped.stdout)] == ["a", "b"]
    (row,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert row["where"] == f"{path}:2"
    assert row["reason"] == "JSON nested deeper than 100 levels"
    # a record nested just below the limit travels through every stage
    path.write_text(_deep_json(98) + "\n")
    assert cli("clean", str(path), "-j", jobs).exit_code == 0


def test_html_nested_deeper_than_libxml2s_default_keeps_its_text(cli, tmp_path: Path) -> None:
    article = "<p>" + "This deep paragraph is the article and it must survive. " * 8 + "</p>"
    depth = 400
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + article
        + "</div>" * depth
        + "</body></html>"
    )
    result = cli("extract", str(page))
    assert result.exit_code == 0, result.stderr
    (record,) = parse_jsonl(result.stdout)
    assert "This deep paragraph is the article" in record["text"]


# --- leftovers and messages --------------------------------------------------------


def test_temporary_outputs_of_killed_runs_are_swept_and_only_those(cli, tmp_path: Path) -> None:
    import hashlib

    host = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftovers = {
        "dead": tmp_path / f".newsclean-{dead.pid}.{host}-abc123.part",
        "alive": tmp_path / f".newsclean-{os.getpid()}.{host}-abc123.part",
        "other host": tmp_path / f".newsclean-{dead.pid}.0badc0de-abc123.part",
        "old style": tmp_path / ".newsclean-abc123.part",
        "not ours": tmp_path / "notes.part",
    }
    for path in leftovers.values():
        path.write_text("")
    drop = drop_of(tmp_path / "drop", 1)
    assert cli("ingest", str(drop), "-o", str(tmp_path / "out.jsonl")).exit_code == 0
    assert not leftovers["dead"].exists()
    assert all(p.exists() for k, p in leftovers.items() if k != "dead")
    assert sweep_parts(str(tmp_path)) == 0


def test_messages_quoting_a_users_path_stay_on_one_line(cli, tmp_path: Path) -> None:
    """A JSONL record's own source path (found by make fuzz: "\\r") is escaped in
    an error and in a warning, so each message is one line."""
    source = {"path": "a\rb\nc", "line": None, "format": "text", "sha256": "0" * 64}
    row = {"id": "x", "text": "", "source": source}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    result = cli("ingest", str(path))  # the second "x" is the first's repeat
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "newsclean: a\\rb\\nc: id 'x' already used by a\\rb\\nc "
        "(use --unique-ids to suffix repeats, or --ids path)"
    )
    report = Report(stderr=io.StringIO())
    report.warn("a\rb\u2028c")
    assert report.stderr.getvalue() == "newsclean: warning: a\\rb\\u2028c\n"


def test_a_timeout_reject_without_a_rejects_file_names_the_article(tmp_path: Path) -> None:
    drop = drop_of(tmp_path / "drop", 2)
    (drop / "stuck.txt").write_text("Article\nHANG\n")
    stderr = io.StringIO()
    report = run(
        [str(drop)],
        [Trim(), Hang()],
        IngestOptions(),
        RunOptions(output=str(tmp_path / "out.jsonl"), timeout=0.2),
        stderr=stderr,
        execution=ExecOptions(jobs=1, timeout=0.2),
    )
    assert isinstance(report, Report) and report.rejected == 1
    assert (
        f"newsclean: warning: {drop / 'stuck.txt'} (stuck): timeout: hang took more than 0.2 s"
        in stderr.getvalue()
    )


class _Nests(Stage):
    """Leaves a value nested 5,000 deep in the record with id "b" (JSON and
    pickle both recurse on it)."""

    name = "nests"

    def apply(self, record: Record) -> Record:
        if record["id"] != "b":
            return record
        deep: list[object] = []
        for _ in range(5000):
            deep = [deep]
        return {**record, "deep": deep}


class _Batch(BatchStage):
    name = "batch"

    def map(self, record: Record) -> int:
        return 1

    def reduce(self, parts: Iterable[int]) -> int:
        return sum(parts)

    def apply(self, record: Record, model: object) -> Record:
        return record


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("final", [False, True], ids=["between phases", "last phase"])
def test_a_record_that_cannot_travel_is_rejected_alone(
    tmp_path: Path, jobs: int, final: bool
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(f'{{"id": "{i}", "text": "Article {i}."}}\n' for i in "abc"))
    stages: list[Any] = [_Nests()] if final else [_Nests(), _Batch()]
    rejects = tmp_path / "rejects.jsonl"
    report = run(
        [str(path)],
        stages,
        IngestOptions(),
        RunOptions(output=str(tmp_path / "out.jsonl"), rejects=str(rejects), quiet=True),
        stderr=io.StringIO(),
        execution=ExecOptions(jobs=jobs, chunk_records=64),
    )
    assert [r["id"] for r in parse_jsonl((tmp_path / "out.jsonl").read_text())] == ["a", "c"]
    (row,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert row["where"] == f"{path}:2 (b)"
    assert row["reason"].startswith("record cannot be ")
    assert "RecursionError" in row["reason"]
    assert row["input"]["id"] == "b"
    assert (report.records_in, report.records_out, report.rejected) == (3, 2, 1)
