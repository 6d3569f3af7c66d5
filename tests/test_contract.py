"""The pipeline contract (#17): stages that compose safely.

On the samples and 50 WCXB pages (as text and as HTML, tests/data/contract/):
every stage run again on ``clean``'s output changes nothing, and every ordering
of the five stages, each run as its own command would run it (the whole batch
through one stage, then the next), either gives the records ``clean`` gives or
stops with an :class:`OrderError` naming the stage that must come first.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from newsclean.record import Record, dumps
from newsclean.runtime.ingest import IngestOptions, read_inputs
from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.base import APPLIED, ORDER, AnyStage, OrderError
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.split.stage import Split
from newsclean.stages.strip.stage import Strip

from .conftest import SAMPLES, validate

DATA = Path(__file__).parent / "data" / "contract"
INPUTS = {
    "text": [str(SAMPLES), str(DATA / "text")],
    "html": [str(DATA / "html")],
}

pytestmark = pytest.mark.slow


def _stages() -> dict[str, AnyStage]:
    """Each stage as its command runs it (clean runs strip and split as one)."""
    config = CleanConfig()
    stages = {stage.name: stage for stage in clean_chain(config)}
    stages["strip"], stages["split"] = Strip(config.strip), Split(config.split)
    return stages


def _run(records: Sequence[Record], stages: Sequence[AnyStage]) -> list[Record]:
    """One command: the batch through ``stages``, as JSONL would carry it on."""
    report = Report(quiet=True)
    out = [json.loads(dumps(r)) for r in run_sequential(records, stages, report)]
    assert report.rejected == 0, report.reasons
    return out


@pytest.fixture(scope="module", params=sorted(INPUTS))
def batch(request: Any) -> tuple[list[Record], list[Record]]:
    """(ingested records, clean's records) of one kind of input."""
    report = Report(quiet=True)
    records = [
        json.loads(dumps(r)) for r in read_inputs(INPUTS[request.param], IngestOptions(), report)
    ]
    assert len(records) >= 50
    return records, _run(records, clean_chain(CleanConfig()))


def test_clean_output_is_marked_and_valid(batch: tuple[list[Record], list[Record]]) -> None:
    records, cleaned = batch
    assert len(cleaned) == len(records)
    for record in cleaned:
        validate(record)
        wanted = [s for s in ORDER if s != "extract" or record["source"]["format"] == "html"]
        assert record[APPLIED] == wanted


def test_every_stage_again_on_clean_output_changes_nothing(
    batch: tuple[list[Record], list[Record]],
) -> None:
    _, cleaned = batch
    for name, stage in _stages().items():
        assert _run(cleaned, [stage]) == cleaned, name
    assert _run(cleaned, clean_chain(CleanConfig())) == cleaned


def test_every_ordering_gives_clean_records_or_names_the_stage_first(
    batch: tuple[list[Record], list[Record]],
) -> None:
    records, cleaned = batch
    stages = _stages()
    # the orderings share their first stages: each prefix is run once
    done: dict[tuple[str, ...], list[Record] | OrderError] = {(): records}
    outcomes = {"clean": 0, "stopped": 0}
    for order in itertools.permutations(ORDER):
        for n in range(1, len(order) + 1):
            prefix = order[:n]
            if prefix in done:
                continue
            before = done[prefix[:-1]]
            if isinstance(before, OrderError):
                done[prefix] = before
                continue
            try:
                done[prefix] = _run(before, [stages[prefix[-1]]])
            except OrderError as exc:
                done[prefix] = exc
        result = done[order]
        if isinstance(result, OrderError):
            outcomes["stopped"] += 1
            # the message names a stage that must come before another: so it
            # does in ORDER, and this ordering put it after (or left it out)
            assert ORDER.index(result.first) < ORDER.index(result.then)
            assert f"{result.first} must come before {result.then}" in str(result)
            assert order.index(result.first) > order.index(result.then), order
        else:
            outcomes["clean"] += 1
            assert result == cleaned, order
    assert outcomes["clean"] >= 1 and outcomes["stopped"] >= 1


def test_names_offsets_point_at_the_names(batch: tuple[list[Record], list[Record]]) -> None:
    _, cleaned = batch
    seen = 0
    for record in cleaned:
        for name in record.get("names") or []:
            seen += 1
            # the mention as the body now spells it: the canonical surname, in the
            # mention's own shape ("Nickow" for "Andre Joshua Nickow")
            span = record["body"][name["start"] : name["end"]]
            assert span and span == span.strip()
            assert name["canonical"].split()[-1] in span, (span, name)
    assert seen > 0


def test_the_commands_stop_with_the_stage_that_must_come_first(cli) -> None:
    pages = cli("ingest", str(Path(__file__).parent / "data" / "html"), "-q").stdout
    stripped = cli("strip", input=pages)
    assert stripped.exit_code == 1 and stripped.stdout == ""
    assert "extract must come before strip" in stripped.stderr
    assert "newsclean extract | newsclean strip" in stripped.stderr
    split = cli("split", input=cli("ingest", str(SAMPLES), "-q").stdout).stdout
    again = cli("strip", input=split)
    assert again.exit_code == 1
    assert "has been through split already: strip must come before split" in again.stderr


def test_clean_on_cleans_output_writes_the_same_bytes(cli, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    assert cli("clean", str(SAMPLES), "-q", "-o", str(first)).exit_code == 0
    second = cli("clean", str(first), "-q")
    assert second.exit_code == 0
    assert second.stdout == first.read_text(encoding="utf-8")
    for command in ("extract", "strip", "split", "names", "lang"):
        assert cli(command, str(first), "-q").stdout == second.stdout, command
