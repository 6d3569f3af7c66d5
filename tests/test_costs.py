"""Costs that must stay linear or bounded (#19), proved by counting work, not
by the clock: names scans a line once for all the people it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsclean.stages.names import NamesStage, detect


def _byline(n: int) -> str:
    givens = ["John", "Mary", "Ahmed", "Olga", "Pierre", "Kwame", "Sofia", "Hana"]

    def surname(i: int) -> str:
        out = ""
        while True:
            out += "bcdfghklmnprstvz"[i % 16] + "aeiou"[(i // 16) % 5]
            i //= 80
            if not i:
                return "Mac" + out

    return "By " + ", ".join(f"{givens[i % 8]} {surname(i)}" for i in range(n)) + "."


def test_names_scans_a_line_once_however_many_people_it_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scans: list[int] = []
    pattern = detect._WORDS

    class Counting:
        def findall(self, text: str) -> Any:
            scans.append(len(text))
            return pattern.findall(text)

    monkeypatch.setattr(detect, "_WORDS", Counting())
    detect._lower_words.cache_clear()
    for n in (200, 2000):
        text = _byline(n)
        record = {"id": "x", "source": {"path": "x"}, "url": None, "text": text}
        stage = NamesStage()
        model = stage.fit([record])
        out = stage.apply(record, model)
        assert len(out["names"]) >= n  # every person found...
        # ...with one scan of the line for all of them, not one per person
        assert scans.count(len(text)) == 1


@pytest.mark.parametrize(
    ("char", "bound"),
    [("e", 2.5), ("é", 3.5), ("—", 4.5), ("😀", 6.5)],
    ids=["ascii", "latin-1", "bmp", "astral"],
)
def test_ingest_holds_an_article_in_a_few_times_its_size(
    tmp_path: Path, char: str, bound: float
) -> None:
    """Reading one large article holds its bytes (read in 1 MB chunks, never
    ``--max-bytes`` at once) and its text, no other copy: a Python string takes
    1, 2 or 4 bytes a character by the widest character in it, so the peak is
    about 2x the file for ASCII and 6x for text with an emoji in it."""
    import tracemalloc

    from newsclean.runtime.ingest import read_inputs
    from newsclean.runtime.options import IngestOptions
    from newsclean.runtime.report import Report

    path = tmp_path / "one-line.txt"
    path.write_text(f"An article on one line, {char} included. " * 60_000 + "\n")
    size = path.stat().st_size
    options = IngestOptions(max_bytes=10**11)
    list(read_inputs([str(path)], options, Report(quiet=True)))  # imports, caches
    tracemalloc.start()
    try:
        (record,) = list(read_inputs([str(path)], options, Report(quiet=True)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(record["text"]) > 2_000_000
    assert peak < bound * size, peak / size
