"""What the line model reads of each unit, as numbers: its shape, cue words, position,
neighbours, the page title, the batch's evidence, lexicons and the strip rules' verdicts.

``page_matrix`` gives one row per unit, columns named by ``NAMES``. Nothing here decides
a role: the trained model weighs these. The vocabulary column (``vocab_*``) reads a table
the model learnt from its training pages (:mod:`.vocab`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np

from newsclean.stages.lines.units import FUNCTION_WORDS, Unit
from newsclean.stages.lines.vocab import Vocab
from newsclean.stages.strip.rules import Rules, key

_WORD = re.compile(r"\w+")
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"\b\d{1,2}[:.h]\d{2}\b")),
    ("year", re.compile(r"\b(?:19|20)\d\d\b")),
    (
        "month",
        re.compile(
            r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\s|\d|,|$)"
            r"|\b(?:janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre"
            r"|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre"
            r"|noviembre|diciembre)\b",
            re.I,
        ),
    ),
    ("numdate", re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")),
    ("ago", re.compile(r"\b(?:ago|hours?|minutes?|mins?|hrs?)\b", re.I)),
    ("bullet", re.compile(r"^[•·*▪►–-]\s")),
    ("dateline", re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,40}(?:\([^)]{1,30}\))?\s?[—–:-]\s")),
    ("paren_end", re.compile(r"\([^)]{1,25}\)\s*$")),
    ("url", re.compile(r"https?://|www\.|\.com\b|\.org\b", re.I)),
    ("email", re.compile(r"\S@\S")),
    ("by", re.compile(r"^(?:by|par|por|von|from|words by|written by|reporting by)\b", re.I)),
    ("copyright", re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.I)),
    ("quote", re.compile(r"[\"“”«»]")),
    ("colon_label", re.compile(r"^\w+(?:\s\w+)?\s?:\s")),
)
_SEPARATORS = re.compile(r"[|·•›»/>]|\s[-–—]\s")
_ENDS = ".!?q:;,)ado"
_FIRSTS = "Uldqp"
# LightGBM refuses JSON's punctuation in a column's name.
_END_NAMES = dict(
    zip(
        _ENDS,
        (
            "period",
            "bang",
            "ask",
            "quote",
            "colon",
            "semicolon",
            "comma",
            "paren",
            "letter",
            "digit",
            "other",
        ),
        strict=True,
    )
)


def _end_class(text: str) -> str:
    c = text[-1]
    if c in ".!?:;,)":
        return c
    if c in "\"'”’»":
        return "q"
    if c.isalpha():
        return "a"
    return "d" if c.isdigit() else "o"


def _first_class(text: str) -> str:
    c = text[0]
    if c.isupper():
        return "U"
    if c.islower():
        return "l"
    if c.isdigit():
        return "d"
    return "q" if c in "\"'“‘«" else "p"


@cache
def _lexicon(path: str) -> frozenset[str]:
    text = resources.files("newsclean").joinpath(path).read_text("utf-8")
    lines = (ln.strip() for ln in text.splitlines())
    return frozenset(ln.casefold() for ln in lines if ln and not ln.startswith("#"))


#: The columns one unit's text gives, in order.
TEXT_NAMES: tuple[str, ...] = (
    "words",
    "chars",
    *(f"end_{_END_NAMES[c]}" for c in _ENDS),
    *(f"first_{c}" for c in _FIRSTS),
    "caps_share",
    "function_share",
    "digit_share",
    "separators",
    "all_caps",
    *(name for name, _ in _CUES),
    "given_share",
    "credit_word",
    "prose",
)


#: Words of a unit read for its word statistics: past this, prose is prose.
HEAD_WORDS = 80
#: Characters at each end of a unit the cue patterns look at.
HEAD_CHARS = 240
_DIGIT = re.compile(r"\d")


def _cue_text(text: str) -> str:
    if len(text) <= 2 * HEAD_CHARS:
        return text
    return f"{text[:HEAD_CHARS]} … {text[-HEAD_CHARS:]}"


@lru_cache(maxsize=1 << 15)
def text_row(text: str) -> tuple[float, ...]:
    """The columns of one unit's text alone (memoised: chrome repeats across pages).
    Long units are read by their first words and the ends of their text, so a unit costs
    a bounded time whatever its length."""
    text = unicodedata.normalize("NFC", text)
    all_words = _WORD.findall(text)
    words = all_words[:HEAD_WORDS]
    n = len(words) or 1
    end, first = _end_class(text), _first_class(text)
    func = sum(w.lower() in FUNCTION_WORDS for w in words) / n
    given = _lexicon("data/names/given_names.txt")
    credits = _lexicon("data/split/credits.txt")
    cues = _cue_text(text)
    return (
        float(len(all_words)),
        float(len(text)),
        *(float(end == c) for c in _ENDS),
        *(float(first == c) for c in _FIRSTS),
        sum(w[:1].isupper() for w in words) / n,
        func,
        len(_DIGIT.findall(cues)) / len(cues),
        float(len(_SEPARATORS.findall(cues))),
        float(text.upper() == text and text.lower() != text),
        *(float(rx.search(cues) is not None) for _, rx in _CUES),
        sum(w.casefold() in given for w in words if w[:1].isupper()) / n,
        float(any(w.casefold() in credits for w in all_words[-3:])),
        float(len(all_words) >= 12 and func >= 0.2 and end in ".!?q"),
    )


@dataclass(frozen=True)
class Context:
    """What a page's units are read against: the page title (from the HTML, or None) and,
    per unit, how many other articles of the batch hold the same line."""

    page_title: str | None = None
    recurrence: tuple[int, ...] = ()


def rule_columns(text: str, rules: Rules | None) -> tuple[float, float, float]:
    """Whether a strip rule names the unit, whether it opens a rule's section, and
    whether it is a teaser marker (0/1 each)."""
    if rules is None:
        return (0.0, 0.0, 0.0)
    k = key(text)
    return (
        float(rules.match(k) is not None),
        float(rules.section_of(k) is not None),
        float(k in rules.teasers),
    )


PAGE_NAMES: tuple[str, ...] = (
    "rule",
    "rule_section",
    "rule_teaser",
    "vocab_mean",
    "vocab_min",
    "vocab_max",
    "vocab_known",
    "index",
    "from_end",
    "relative",
    "units",
    "before_main",
    "after_main",
    "to_main",
    "blank_before",
    "repeats",
    "title_overlap",
    "title_equal",
    "recurrence",
)
_NEIGHBOUR_COLS = (
    "words",
    "function_share",
    "end_period",
    "prose",
    "vocab_mean",
    "rule",
    "blank_before",
)
_OFFSETS = (-3, -2, -1, 1, 2, 3)
WINDOW_NAMES: tuple[str, ...] = (
    *(f"{o:+d}_{c}" for o in _OFFSETS for c in _NEIGHBOUR_COLS),
    "prose_3",
    "prose_10",
    "vocab_3",
    "vocab_10",
)
NAMES: tuple[str, ...] = TEXT_NAMES + PAGE_NAMES + WINDOW_NAMES


def _main_span(prose: np.ndarray) -> tuple[int, int]:
    idx = [i for i, p in enumerate(prose) if p]
    return (idx[0], idx[-1]) if idx else (len(prose), -1)


def _title_overlap(text: str, title_words: frozenset[str]) -> tuple[float, float]:
    if not title_words:
        return (0.0, 0.0)
    mine = {w.lower() for w in _WORD.findall(text)}
    if not mine:
        return (0.0, 0.0)
    jac = len(mine & title_words) / len(mine | title_words)
    return (jac, float(jac == 1.0))


def _page_columns(
    units: Sequence[Unit], ctx: Context, rules: Rules | None, vocab: Vocab, prose: np.ndarray
) -> np.ndarray:
    n = len(units)
    lo, hi = _main_span(prose)
    title_words = frozenset(w.lower() for w in _WORD.findall(ctx.page_title or ""))
    counts: dict[str, int] = {}
    for u in units:
        counts[u.text] = counts.get(u.text, 0) + 1
    rows = []
    for i, u in enumerate(units):
        to_main = lo - i if i < lo else i - hi if i > hi else 0
        rows.append(
            (
                *rule_columns(u.text, rules),
                *vocab.stats(u.text),
                float(i),
                float(n - 1 - i),
                i / n,
                float(n),
                float(i < lo),
                float(i > hi),
                float(to_main),
                float(u.blank_before),
                float(counts[u.text] - 1),
                *_title_overlap(u.text, title_words),
                float(ctx.recurrence[i]) if ctx.recurrence else 0.0,
            )
        )
    return np.array(rows, dtype=np.float64).reshape(n, len(PAGE_NAMES))


def _window(own: np.ndarray) -> np.ndarray:
    n = own.shape[0]
    cols = [NAMES.index(c) for c in _NEIGHBOUR_COLS]
    pad = np.full((3, len(cols)), np.nan)
    base = np.vstack([pad, own[:, cols], pad])
    parts = [base[3 + o : 3 + o + n] for o in _OFFSETS]
    prose = own[:, NAMES.index("prose")]
    vocab = own[:, NAMES.index("vocab_mean")]
    extra = np.column_stack(
        [
            _mean_around(prose, 3),
            _mean_around(prose, 10),
            _mean_around(vocab, 3),
            _mean_around(vocab, 10),
        ]
    )
    return np.hstack([*parts, extra])


def _mean_around(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of ``values`` over the ``k`` units on each side (the unit itself left out)."""
    n = len(values)
    csum = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(n)
    lo, hi = np.maximum(0, idx - k), np.minimum(n, idx + k + 1)
    count = hi - lo - 1
    total = csum[hi] - csum[lo] - values
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def page_matrix(
    units: Sequence[Unit], ctx: Context, rules: Rules | None, vocab: Vocab
) -> np.ndarray:
    """One row of ``NAMES`` columns per unit."""
    if not units:
        return np.zeros((0, len(NAMES)))
    text = np.array([text_row(u.text) for u in units], dtype=np.float64)
    prose = text[:, TEXT_NAMES.index("prose")]
    own = np.hstack([text, _page_columns(units, ctx, rules, vocab, prose)])
    return np.hstack([own, _window(own)])
