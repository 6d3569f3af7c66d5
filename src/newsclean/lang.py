"""``lang``: the language of an article (ISO 639-1) and its probability.

Detection is langdetect's algorithm (see :mod:`newsclean.lang_detector`): seeded,
a fresh detector per call, profiles loaded once per process, so the same text
gets the same answer in any worker and in any order of calls.

It runs on a bounded sample of the text (:func:`sample`), not the whole of it:
the middle of the longest lines that read as prose, other lines only to fill the
budget, the first line (usually the title) last. langdetect's cost grows with
the text (~1 ms per 1,000 characters for its n-gram extraction alone), so long
articles cost no more than short ones;
``make bench`` (``python -m bench lang``) measures the agreement of the sample's
answer with langdetect's answer on the full text.

Two rules on top of langdetect: text with fewer than ``min_letters`` letters gets
no language; text with Chinese characters but no Hangul (no kana) is not Korean
(not Japanese), which langdetect's shared CJK profiles otherwise allow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import Reject
from .pipeline import Stage
from .record import Record, body_or_text, warn

#: the 55 languages langdetect has profiles for, in ISO 639-1 (its "zh-cn" and
#: "zh-tw" are both "zh"); tests check this against langdetect's profile folder
LANGUAGES: tuple[str, ...] = (
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa",
    "fi", "fr", "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "lv",
    "mk", "ml", "mr", "ne", "nl", "no", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "so",
    "sq", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip
#: stands for "no language": in ``--keep``, keeps the records too short to judge
UNDETERMINED = "und"
#: langdetect's codes that are not ISO 639-1
_ISO = {"zh-cn": "zh", "zh-tw": "zh"}
# langdetect's Korean and Japanese profiles hold Chinese characters too, and it
# reads plain Chinese as Korean (our Traditional Chinese test paragraph: "ko",
# probability 1.0). Korean is written in Hangul and Japanese with kana, so text
# with Chinese characters but none of those cannot be in that language.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")


@dataclass(frozen=True)
class LangConfig:
    """How ``lang`` detects and what it keeps.

    keep: languages to keep (ISO 639-1); a record in another language goes to
        the rejects, filtered on purpose. Empty keeps every record. A record too
        short to judge has no language and is rejected too, unless ``und`` is in
        the list: a filter that asks for French cannot vouch for it.
    min_letters: below this many letters in the sample, ``lang`` and
        ``lang_prob`` are null rather than a guess. 40 letters is about eight
        words; on windows of whole words from WCXB gold bodies (English) the
        answer is wrong 13% of the time at 20 letters, 6% at 30, 2% at 40, 1% at
        60 (``python -m bench lang`` prints the table). One threshold for every
        script, so a Chinese or Korean text needs 40 characters too.
    sample_chars: the size of the sample detection runs on (characters). The
        bench finds the same agreement with full-text detection from 500 to 1,500;
        1,000 leaves room for articles whose paragraphs are mostly boilerplate.
    trials: langdetect's random restarts (``n_trial``, 7 in langdetect). Each
        costs ~0.15 ms; the bench finds the same answers with 1, 3 or 7, and the
        probability is their mean, so 3 keeps ``lang_prob`` meaningful at less
        than half the cost of 7.
    """

    keep: tuple[str, ...] = ()
    min_letters: int = 40
    sample_chars: int = 1000
    trials: int = 3


def parse_keep(value: str | None) -> tuple[str, ...]:
    """``"en, FR"`` -> ``("en", "fr")``; an unknown code is a ``ValueError``
    (a typo would otherwise silently filter out every record)."""
    if not value:
        return ()
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in LANGUAGES and code != UNDETERMINED]
    if unknown:
        raise ValueError(
            f"unknown language code {', '.join(unknown)}: use ISO 639-1 codes "
            f"({' '.join(LANGUAGES)}) or '{UNDETERMINED}' for text too short to judge"
        )
    return tuple(dict.fromkeys(codes))


#: sentence punctuation, Latin and other scripts: prose has it, menus, lists
#: of names and tag clouds do not
_PUNCTUATION = frozenset(".,;:!?\u3002\u3001\uff0c\uff0e\uff01\uff1f\u061f\u060c\u0964")
#: a piece shorter than this (characters) is not worth its place in the sample
_MIN_PIECE = 40
#: look at no more than this many candidate lines (bounds the cost on pages of
#: thousands of short lines)
_MAX_CANDIDATES = 64


def _window(line: str, size: int) -> str:
    """The middle ``size`` characters of ``line``, cut at spaces where it has any."""
    if len(line) <= size:
        return line
    start = (len(line) - size) // 2
    end = start + size
    space = line.find(" ", start, end)
    if space != -1 and space < start + size // 4:
        start = space + 1
    space = line.rfind(" ", start, end)
    if space != -1 and space > end - size // 4:
        end = space
    return line[start:end]


def _is_prose(piece: str) -> bool:
    """Mostly letters (not code, URLs, numbers or invisible characters) and
    some sentence punctuation (not a menu or a list of names)."""
    letters = sum(map(str.isalpha, piece))
    visible = len(piece) - piece.count(" ")
    return letters >= 0.75 * visible and not _PUNCTUATION.isdisjoint(piece)


def _lengths(lines: list[str]) -> Callable[[int], int]:
    return list(map(len, lines)).__getitem__


def sample(text: str, size: int) -> str:
    """A part of ``text`` of at most about ``size`` characters that speaks for it.

    The article's language is in its paragraphs; menus, bylines, captions and
    "Share" buttons are short lines, code and URL lists are not prose. So: the
    middle of the longest lines that read as prose, at most a third of the
    budget from each (one odd paragraph, a quote or an ad in another language,
    cannot decide alone); then, if the budget is not full, the other lines,
    longest first; the first line (usually the title) last. Pieces go back in
    text order. Past a split and a pass in C over line lengths, the cost is
    bounded by ``size``, whatever the length of the text.
    """
    lines = text.split("\n")
    title = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title is None:
        return ""
    # the longest lines, in C: a page of thousands of lines costs little more
    longest = sorted(range(len(lines)), key=_lengths(lines), reverse=True)[: _MAX_CANDIDATES + 1]
    by_length = [i for i in longest if i != title and lines[i].strip()][:_MAX_CANDIDATES]
    by_length.append(title)
    share = max(size // 3, _MIN_PIECE)
    chosen: list[tuple[int, str]] = []
    rest: list[tuple[int, str]] = []
    left = size
    for i in by_length:
        if left < _MIN_PIECE:
            break
        piece = _window(lines[i].strip(), min(share, left))
        if i != title and _is_prose(piece):
            chosen.append((i, piece))
            left -= len(piece) + 1
        else:
            rest.append((i, piece))
    for i, piece in rest:
        if left <= 0:
            break
        piece = piece[:left] if len(piece) > left else piece
        chosen.append((i, piece))
        left -= len(piece) + 1
    chosen.sort()
    return "\n".join(piece for _, piece in chosen)


def detect(text: str, config: LangConfig = LangConfig()) -> tuple[str | None, float | None]:
    """``(lang, lang_prob)`` of ``text``, or ``(None, None)`` when it is too short
    to judge or has nothing langdetect knows (digits, emoji, an unknown script).

    ``lang_prob`` is rounded to 3 decimals so output is byte-stable; for ``zh`` it
    is the sum of langdetect's ``zh-cn`` and ``zh-tw``.
    """
    part = sample(text, config.sample_chars)
    if sum(map(str.isalpha, part)) < config.min_letters:
        return None, None
    from langdetect.lang_detect_exception import LangDetectException

    from .lang_detector import detector

    exclude: tuple[str, ...] = ()
    if _HAN.search(part):
        exclude = (
            *(() if _HANGUL.search(part) else ("ko",)),
            *(() if _KANA.search(part) else ("ja",)),
        )
    found = detector(config.trials, exclude)
    found.append(part)
    try:
        ranked = found.get_probabilities()
    except LangDetectException:
        return None, None
    probs: dict[str, float] = {}
    for language in ranked:
        code = _ISO.get(language.lang, language.lang)
        probs[code] = probs.get(code, 0.0) + language.prob
    if not probs:
        return None, None
    best = max(probs, key=lambda code: (probs[code], code))
    return best, round(probs[best], 3)


class LangStage(Stage):
    """Fill ``lang`` and ``lang_prob`` from ``body`` (or ``text`` before strip)."""

    name = "lang"

    def __init__(self, config: LangConfig = LangConfig()) -> None:
        self.config = config

    def apply(self, record: Record) -> Record:
        lang, prob = detect(body_or_text(record), self.config)
        keep = self.config.keep
        if keep and (lang or UNDETERMINED) not in keep:
            raise Reject(f"lang {lang or UNDETERMINED} not in {','.join(keep)}", filtered=True)
        out = dict(record)
        out["lang"] = lang
        out["lang_prob"] = prob
        if isinstance(record.get("html"), str) and not any(
            isinstance(record.get(key), str) for key in ("body", "text")
        ):
            out = warn(out, "lang: no text to detect on (HTML not extracted: run extract)")
        return out
