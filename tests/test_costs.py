"""Costs that must stay linear or bounded (#19), proved by counting work, not
by the clock: names scans a line once for all the people it names."""

from __future__ import annotations

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
    finds = [0]
    pattern = detect._ALPHA_RUN

    class Counting:
        def findall(self, text: str) -> Any:
            scans.append(len(text))
            return pattern.findall(text)

    monkeypatch.setattr(detect, "_ALPHA_RUN", Counting())
    detect._alpha_words.cache_clear()
    original = detect._used_in_lower_case

    def counted(text: str, word: str) -> bool:
        if not word.isalpha():
            finds[0] += 1  # the scan of the text a word with a mark inside still costs
        return original(text, word)

    monkeypatch.setattr(detect, "_used_in_lower_case", counted)
    for n in (200, 2000):
        text = _byline(n)
        record = {"id": "x", "source": {"path": "x"}, "url": None, "text": text}
        stage = NamesStage()
        model = stage.fit([record])
        out = stage.apply(record, model)
        assert len(out["names"]) >= n  # every person found...
        # ...with one scan of the line for all of them, not one per person
        assert scans.count(len(text)) == 1
        assert finds[0] == 0
