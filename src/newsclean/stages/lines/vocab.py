"""Which words lean to article text and which to page chrome, learnt from labelled pages.

For each word seen often enough in training, the log-odds of meeting it in a body unit
rather than a boilerplate one (add-one smoothed). A unit reads the mean, least and most
of its words' scores, and the share of its words the table knows. "Subscribe", "cookies"
and "share" score low, "said" and "percent" high, in whatever language the pages were.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+")
#: Fewest units a word must be in to get a score.
MIN_COUNT = 3


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if not w.isdigit()]


@dataclass(frozen=True)
class Vocab:
    """Word -> log-odds of body over boilerplate."""

    scores: Mapping[str, float] = field(default_factory=dict)
    _memo: dict[str, tuple[float, float, float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def learn(cls, units: Iterable[tuple[str, bool]]) -> Vocab:
        """From (text, is body) pairs: each word counted once per unit."""
        body: Counter[str] = Counter()
        chrome: Counter[str] = Counter()
        for text, in_body in units:
            (body if in_body else chrome).update(set(words(text)))
        nb, nc = sum(body.values()) + 1, sum(chrome.values()) + 1
        scores = {}
        for w in sorted(body.keys() | chrome.keys()):
            b, c = body[w], chrome[w]
            if b + c >= MIN_COUNT:
                scores[w] = round(math.log((b + 1) / nb) - math.log((c + 1) / nc), 3)
        return cls(scores)

    def stats(self, text: str) -> tuple[float, float, float, float]:
        """(mean, min, max, known share) of the scores of ``text``'s words."""
        found = self._memo.get(text)
        if found is not None:
            return found
        ws = words(text)[:80]  # past the first words, prose is prose
        got = [self.scores[w] for w in ws if w in self.scores]
        if got:
            found = (sum(got) / len(got), min(got), max(got), len(got) / len(ws))
        else:
            found = (0.0, 0.0, 0.0, 0.0)
        if len(self._memo) > 1 << 15:
            self._memo.clear()
        self._memo[text] = found
        return found
