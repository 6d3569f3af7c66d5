from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.schema import SCHEMA

from .conftest import ROOT, SAMPLES, parse_jsonl


def test_ingest_samples_prints_five_valid_records(cli) -> None:
    result = cli("ingest", str(SAMPLES))
    assert result.exit_code == 0, result.stderr
    records = parse_jsonl(result.stdout)
    assert len(records) == 5
    assert list(records[0])[:4] == ["id", "source", "url", "text"]


def test_output_is_byte_identical_run_after_run(cli, tmp_path: Path) -> None:
    outs = []
    for name in ("a.jsonl.gz", "b.jsonl.gz"):
        assert cli("ingest", str(SAMPLES), "-o", str(tmp_path / name)).exit_code == 0
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert len(gzip.decompress(outs[0]).decode().splitlines()) == 5
    assert not list(tmp_path.glob(".newsclean-*")), "temporary file left behind"


def test_stdin_jsonl_and_raw_text(cli) -> None:
    line = '{"id": "k", "text": "hi", "extra": [1]}\n'
    result = cli("ingest", input=line)
    assert parse_jsonl(result.stdout) == [
        {
            "id": "k",
            "source": {
                "path": "<stdin>",
                "line": 1,
                "format": "jsonl",
                "sha256": hashlib.sha256(line.encode()).hexdigest(),
            },
            "url": None,
            "text": "hi",
            "extra": [1],
        }
    ]
    raw = cli("ingest", "-", input="just text\r\n")
    assert parse_jsonl(raw.stdout)[0]["text"] == "just text\n"


def test_records_pass_through_a_second_ingest_unchanged(cli) -> None:
    first = cli("ingest", str(SAMPLES)).stdout
    assert cli("ingest", input=first).stdout == first


def test_malformed_line_exits_1_with_location_and_writes_no_output(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\nnot json\n')
    out = tmp_path / "out.jsonl"
    result = cli("ingest", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert f"{bad}:2: invalid JSON" in result.stderr
    assert not out.exists()


def test_skip_invalid_reports_count_and_keeps_rejects(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\nnot json\n{"text": "c"}\n')
    rejects = tmp_path / "rejects.jsonl"
    result = cli("ingest", str(bad), "--skip-invalid", "--rejects", str(rejects))
    assert len(parse_jsonl(result.stdout)) == 2
    assert "3 in, 2 out, 1 rejected" in result.stderr
    # #17: skipped on request and accounted for (summary, rejects file): the run is done
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert rows == [
        {
            "where": f"{bad}:2",
            "reason": "invalid JSON (Expecting value at column 1)",
            "input": "not json",
        }
    ]


def test_max_rejects_fails_the_run_past_n(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\nnot json\n[1]\n{"text": "c"}\n')
    within = cli("ingest", str(bad), "--max-rejects", "2")  # implies --skip-invalid
    assert within.exit_code == 0, within.stderr
    assert len(parse_jsonl(within.stdout)) == 2
    assert "4 in, 2 out, 2 rejected" in within.stderr
    past = cli("ingest", str(bad), "--max-rejects", "1")
    assert past.exit_code == 1
    assert "more than --max-rejects 1 rejected" in past.stderr
    assert len(parse_jsonl(past.stdout)) == 2  # the output is still written
    assert cli("ingest", str(bad)).exit_code == 1  # without the option: stops at line 2


def test_usage_errors_exit_2(cli) -> None:
    assert cli("ingest", "--no-such-option").exit_code == 2
    assert cli("ingest", "--ids", "other", str(SAMPLES)).exit_code == 2
    assert cli("no-such-command").exit_code == 2


def test_schema_command_prints_the_schema(cli) -> None:
    result = cli("schema")
    assert json.loads(result.stdout) == SCHEMA


def _newsclean(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsclean", *args]


def test_head_ends_quietly() -> None:
    # A real pipe: the reader closes after one line, newsclean must not print a traceback.
    proc = subprocess.run(
        f"{' '.join(_newsclean('ingest', str(SAMPLES)))} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    # no traceback: at most the summary line, when the run ended before head did
    assert proc.stderr == "" or re.fullmatch(
        r"newsclean: 5 in, 5 out, 0 rejected in [\d.]+ s\n", proc.stderr
    )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from newsclean.cli import app; "
        "heavy = {'trafilatura', 'bs4', 'langdetect', 'dask', 'lxml', 'rapidfuzz'} "
        "& {m.split('.')[0] for m in sys.modules}; print(sorted(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_clean_equals_the_composed_pipeline(cli, tmp_path: Path) -> None:
    """`clean` gives the same bytes as ingest | extract | strip | split | names | lang,
    on text and HTML inputs together."""
    drop = tmp_path / "drop"
    drop.mkdir()
    for sample in SAMPLES.glob("*.txt"):
        (drop / sample.name).write_bytes(sample.read_bytes())
    wcxb = ROOT / "tests" / "data" / "wcxb"
    for page in sorted(wcxb.glob("*.txt"))[:6]:
        (drop / f"w{page.name}").write_bytes(page.read_bytes())
    for page in sorted((ROOT / "tests" / "data" / "html").glob("*.html*"))[:2]:
        (drop / page.name).write_bytes(page.read_bytes())
    clean = cli("clean", str(drop), "-j", "1", "-q")
    assert clean.exit_code == 0, clean.stderr
    stream = cli("ingest", str(drop)).stdout
    for stage in ("extract", "strip", "split", "names", "lang"):
        result = cli(stage, "-q", input=stream)
        assert result.exit_code == 0, (stage, result.stderr)
        stream = result.stdout
    assert len(parse_jsonl(clean.stdout)) == 5 + 6 + 2
    assert stream == clean.stdout


@pytest.mark.parametrize(
    "command", ["ingest", "extract", "strip", "split", "names", "lang", "clean"]
)
def test_every_command_prints_one_summary_line_and_q_silences_it(cli, command: str) -> None:
    """#17: the same line (in, out, rejected, time) on stderr for every command."""
    result = cli(command, str(SAMPLES))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        r"newsclean: 5 in, 5 out, 0 rejected(, \d+ lines removed)? in \d+\.\d s\n", result.stderr
    ), result.stderr
    quiet = cli(command, str(SAMPLES), "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout == result.stdout


def test_fields_and_drop_choose_the_output_fields(cli, tmp_path: Path) -> None:
    full = parse_jsonl(cli("clean", str(SAMPLES), "-q").stdout)
    dropped = parse_jsonl(cli("clean", str(SAMPLES), "-q", "--drop", "text,removed").stdout)
    assert [{k: v for k, v in r.items() if k not in ("text", "removed")} for r in full] == dropped
    out = tmp_path / "few.jsonl.gz"
    result = cli("clean", str(SAMPLES), "-q", "--fields", "title,id,body", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    few = [json.loads(line) for line in gzip.decompress(out.read_bytes()).splitlines()]
    assert [list(r) for r in few] == [["id", "title", "body"]] * 5  # the record's order
    assert [r["body"] for r in few] == [r["body"] for r in full]
    both = cli("clean", str(SAMPLES), "--fields", "id", "--drop", "text")
    assert both.exit_code == 2
    assert cli("ingest", str(SAMPLES), "--drop", ",").exit_code == 2


def _stderr_on_a_terminal(*args: str) -> str:
    """What a command writes to stderr when stderr is a terminal (a pty)."""
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            _newsclean(*args),
            stdout=subprocess.DEVNULL,
            stderr=follower,
            cwd=ROOT,
            check=False,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_run_longer_than_a_second_draws_progress_on_a_terminal() -> None:
    drop = str(ROOT / "tests" / "data" / "contract" / "html")  # some 3 s of CPU at -j 1
    shown = _stderr_on_a_terminal("clean", drop, "-o", os.devnull, "-j", "1")
    last = shown.rsplit("\r", 2)[-2].strip()  # after the bar is wiped: the summary
    summary = r"newsclean: 50 in, 50 out, 0 rejected, \d+ lines removed in ([\d.]+) s"
    found = re.fullmatch(summary, last)
    assert found, shown
    assert _stderr_on_a_terminal("clean", drop, "-o", os.devnull, "-q") == ""
    if float(found.group(1)) < 1.5:
        pytest.skip("the run took less than 1.5 s here: no bar is drawn, rightly")
    bar = r"\rnewsclean: (phase \d/\d )?(\[[#.]{20}\] )?\d+(/\d+)? articles, \d+/s"
    assert re.search(bar, shown), shown
