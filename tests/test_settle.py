"""``settle`` (#9): clean run again on the clean body until it stops changing."""

from __future__ import annotations

from pathlib import Path

from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.split.settle import settle
from newsclean.stages.split.stage import SplitConfig, split_record
from tests.conftest import parse_jsonl, validate

WCXB = Path(__file__).parent / "data" / "wcxb"

PROSE = (
    "The ministers met in Washington on Tuesday and agreed on a new phase of the "
    "security partnership between the two countries."
)


def _record(text: str, **fields: object) -> dict[str, object]:
    source = {"path": "a.txt", "line": None, "format": "text", "sha256": "0" * 64}
    return {"id": "a", "source": source, "url": None, "text": text, **fields}


def test_a_header_left_in_the_body_leaves_it_and_the_fields_stay() -> None:
    body = f"Talks Resume In Washington Today\n\nBy Jane Doe\n\n{PROSE}"
    record = _record("raw page", body=body, title="Ministers meet", byline=["Ann Lee"])
    out = settle(record, SplitConfig(), split_record)
    validate(out)
    assert out["body"] == PROSE
    assert {"text": "By Jane Doe", "rule": "split:byline"} in out["removed"]
    assert out["title"] == "Ministers meet"  # read from the page, not from the body
    assert out["byline"] == ["Ann Lee"]
    assert record["body"] == body, "settle mutated its input"


def test_a_clean_body_is_left_as_it_is() -> None:
    record = _record("raw page", body=f"Key Takeaways\n\n{PROSE}")
    assert settle(record, SplitConfig(), split_record) == record


def test_zero_rounds_turns_settle_off() -> None:
    body = f"Talks Resume In Washington Today\n\nBy Jane Doe\n\n{PROSE}"
    record = _record("raw page", body=body)
    assert settle(record, SplitConfig(settle_rounds=0), split_record)["body"] == body


def test_split_keeps_the_first_line_of_a_text_strip_left_as_it_was() -> None:
    """A text strip did not touch reads like a clean body: its opening heading stays
    (the title field still offers it), unless it repeats the title extract found."""
    text = f"Key Takeaways\n\n{PROSE}"
    out = split_record(_record(text, body=text))
    assert out["body"] == text
    assert out["title"] == "Key Takeaways"
    extracted = split_record(_record(text, body=text, title="Key takeaways"))
    assert extracted["body"] == PROSE
    # the same text with chrome strip took out: a page, whose first line is its title
    page = split_record(
        _record(f"{text}\n\nShare", body=text, removed=[{"text": "Share", "rule": "share"}])
    )
    assert page["body"] == PROSE


def test_cleaning_real_pages_twice_changes_nothing() -> None:
    pages = sorted(WCXB.glob("*.txt"))
    assert len(pages) >= 30
    chain = clean_chain(CleanConfig())
    records = [_record(p.read_text("utf-8")) | {"id": p.stem} for p in pages]
    first = list(run_sequential(records, chain, Report(quiet=True)))
    bodies = {r["id"]: r["body"] for r in first if r["body"]}
    again = list(
        run_sequential(
            (_record(b) | {"id": i} for i, b in bodies.items()), chain, Report(quiet=True)
        )
    )
    assert len(again) == len(bodies)
    changed = [r["id"] for r in again if r["body"] != bodies[r["id"]]]
    assert changed == []


def test_clean_takes_settle_rounds(cli, tmp_path: Path) -> None:
    """WCXB page 4583: the date left at the foot once split took the header goes in
    the settle rounds. (Page 0373 served until split learnt to take a date alone on
    its line by itself, #4.)"""
    page = tmp_path / "4583.txt"
    page.write_bytes((WCXB / "4583.txt").read_bytes())
    bodies = []
    for rounds in ("0", "12"):
        result = cli("clean", str(page), "--settle-rounds", rounds, "-j", "1")
        assert result.exit_code == 0, result.stderr
        (record,) = parse_jsonl(result.stdout)
        bodies.append(record["body"])
    assert bodies[0].endswith("the best is yet to come!\n\nNovember 28, 2025")
    assert bodies[1].endswith("the best is yet to come!")
    bad = cli("clean", str(page), "--settle-rounds", "-1", "-j", "1")
    assert bad.exit_code != 0
