"""``lang``: the language of an article (ISO 639-1) and its probability.

Detection is langdetect's algorithm (see :mod:`newsclean.stages.lang.detector`): seeded,
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
no language; a language is a candidate only if the text has letters of its
script (:data:`SCRIPTS`), so plain Chinese is not read as Korean, as langdetect's
shared CJK profiles otherwise allow.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from newsclean.errors import Reject
from newsclean.memo import Memo
from newsclean.record import Record, body_or_text
from newsclean.stages.base import Stage

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
#: langdetect's languages (its own codes) by the script they are written in.
#: A text without a letter of a script is not in that script's languages, so
#: detection leaves them out (langdetect's prior probability 0): it saves 40% of
#: the work on Latin text, and stops plain Chinese being read as Korean, whose
#: profile holds Chinese characters too (langdetect alone says "ko", probability
#: 1.0, for our Traditional Chinese test paragraph).
SCRIPTS: dict[str, tuple[str, ...]] = {
    "latin": (
        "af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id",
        "it", "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw",
        "tl", "tr", "vi",
    ),
    "arabic": ("ar", "fa", "ur"),
    "cyrillic": ("bg", "mk", "ru", "uk"),
    "greek": ("el",),
    "hebrew": ("he",),
    "devanagari": ("hi", "mr", "ne"),
    "bengali": ("bn",),
    "gurmukhi": ("pa",),
    "gujarati": ("gu",),
    "tamil": ("ta",),
    "telugu": ("te",),
    "kannada": ("kn",),
    "malayalam": ("ml",),
    "thai": ("th",),
    "han": ("zh-cn", "zh-tw"),
    "kana": ("ja",),
    "hangul": ("ko",),
}  # fmt: skip
#: (first code point, last, script), sorted; letters elsewhere have no script
#: langdetect knows
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "latin"), (0x0061, 0x007A, "latin"), (0x00C0, 0x024F, "latin"),
    (0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"), (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"), (0x0A00, 0x0A7F, "gurmukhi"), (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"), (0x0C00, 0x0C7F, "telugu"), (0x0C80, 0x0CFF, "kannada"),
    (0x0D00, 0x0D7F, "malayalam"), (0x0E00, 0x0E7F, "thai"), (0x1100, 0x11FF, "hangul"),
    (0x1E00, 0x1EFF, "latin"), (0x1F00, 0x1FFF, "greek"), (0x3040, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"), (0x31F0, 0x31FF, "kana"), (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"), (0xAC00, 0xD7AF, "hangul"), (0xF900, 0xFAFF, "han"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"), (0xFF21, 0xFF3A, "latin"),
    (0xFF41, 0xFF5A, "latin"), (0xFF66, 0xFF9F, "kana"),
)  # fmt: skip
_STARTS = [start for start, _, _ in _RANGES]


def _script_of(ch: str) -> str | None:
    """The script of a character (None: not a letter of a script of :data:`SCRIPTS`)."""
    if ch.isalpha():
        at = bisect.bisect_right(_STARTS, ord(ch)) - 1
        if at >= 0 and ord(ch) <= _RANGES[at][1]:
            return _RANGES[at][2]
    return None


_SCRIPT_OF: Memo[str, str | None] = Memo(_script_of, 50_000)


def scripts(text: str) -> set[str]:
    """The scripts of :data:`SCRIPTS` that ``text`` has letters in."""
    return set(filter(None, map(_SCRIPT_OF.__getitem__, set(text))))


@lru_cache(maxsize=256)
def _excluded(present: frozenset[str]) -> tuple[str, ...]:
    """langdetect's codes of the languages of the scripts not ``present``."""
    return tuple(
        code for script, codes in SCRIPTS.items() if script not in present for code in codes
    )


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
    trials: langdetect's random restarts (``n_trial``), each some 50 sampled
        n-grams; ``lang_prob`` is their mean. 7, langdetect's own, so that
        ``lang_prob`` is the probability langdetect itself gives the language
        (#17: with 3, a paragraph half English, half French got 1.0 where
        langdetect says 0.86). The bench finds the same languages with 1, 3 or 7
        trials (0.67, 0.97, 1.69 CPU ms per page in one run).
    """

    keep: tuple[str, ...] = ()
    min_letters: int = 40
    sample_chars: int = 1000
    trials: int = 7


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
#: prose with this many letters is judged alone, without the other lines (on
#: WCXB windows of 100 letters langdetect is right 99.9% of the time)
_ENOUGH_LETTERS = 150
#: look at no more than this many candidate lines (bounds the cost on pages of
#: thousands of short lines)
_MAX_CANDIDATES = 64


_ASCII_LETTERS = string.ascii_letters.encode()
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _not_letter(codepoint: int) -> int | None:
    return None if chr(codepoint).isalpha() else codepoint


#: A ``str.translate`` table that deletes letters (``str.isalpha``) and keeps the rest.
_NOT_LETTERS: Memo[int, int | None] = Memo(_not_letter, 50_000)


def letters_in(text: str) -> int:
    """``sum(map(str.isalpha, text))``, in a third of the time on Latin text: the
    ASCII letters counted on the UTF-8 bytes (a multi-byte character has no ASCII
    byte), then the few other characters (quotes, dashes, accented letters) one
    by one. Text mostly outside ASCII is counted character by character."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > 2 * len(text):
        return sum(map(str.isalpha, text))
    count = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if len(data) > len(text):  # not all ASCII
        others = "".join(_NON_ASCII.findall(text))
        count += len(others) - len(others.translate(_NOT_LETTERS))
    return count


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


def _prose_letters(piece: str) -> int:
    """The letters of ``piece`` if it reads as prose, else 0. Prose is mostly
    letters (not code, URLs, numbers or invisible characters) and has some
    sentence punctuation (not a menu or a list of names)."""
    letters = letters_in(piece)
    visible = len(piece) - piece.count(" ")
    if letters >= 0.75 * visible and not _PUNCTUATION.isdisjoint(piece):
        return letters
    return 0


def _lengths(lines: list[str]) -> Callable[[int], int]:
    return list(map(len, lines)).__getitem__


def sample(text: str, size: int) -> str:
    """A part of ``text`` of at most about ``size`` characters that speaks for it.

    The article's language is in its paragraphs; menus, bylines, captions and
    "Share" buttons are short lines, code and URL lists are not prose. So: the
    middle of the longest lines that read as prose, at most a third of the
    budget from each (one odd paragraph, a quote or an ad in another language,
    cannot decide alone); then, only if that prose is too short to judge by
    itself, the other lines, longest first, the first line (usually the title)
    last. Pieces go back in text order. Past a split and a pass in C over line
    lengths, the cost is bounded by ``size``, whatever the length of the text.
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
    letters = 0
    for i in by_length:
        if left < _MIN_PIECE:
            break
        piece = _window(lines[i].strip(), min(share, left))
        found = _prose_letters(piece) if i != title else 0
        if found:
            chosen.append((i, piece))
            left -= len(piece) + 1
            letters += found
        else:
            rest.append((i, piece))
    for i, piece in rest:
        # menus and titles only make up for prose too short to judge by itself
        if left <= 0 or letters >= _ENOUGH_LETTERS:
            break
        piece = piece[:left] if len(piece) > left else piece
        chosen.append((i, piece))
        left -= len(piece) + 1
        letters += letters_in(piece)
    chosen.sort()
    return "\n".join(piece for _, piece in chosen)


def detect(text: str, config: LangConfig = LangConfig()) -> tuple[str | None, float | None]:
    """``(lang, lang_prob)`` of ``text``, or ``(None, None)`` when it is too short
    to judge, has nothing langdetect knows (digits, emoji, an unknown script) or
    no language above langdetect's own 0.1 floor.

    ``lang_prob`` is rounded to 3 decimals so output is byte-stable; for ``zh`` it
    is the sum of langdetect's ``zh-cn`` and ``zh-tw``.
    """
    part = sample(text, config.sample_chars)
    if letters_in(part) < config.min_letters:
        return None, None
    from langdetect.lang_detect_exception import LangDetectException

    from newsclean.stages.lang.detector import detector

    present = scripts(part)
    if not present:
        return None, None
    found = detector(config.trials, _excluded(frozenset(present)))
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

    def prepare(self) -> None:
        # the language profiles: a pool loads them once, before it forks
        from newsclean.stages.lang.detector import factory

        factory()

    def apply(self, record: Record) -> Record:
        lang, prob = detect(body_or_text(record), self.config)
        self._keep(lang)
        out = dict(record)
        out["lang"] = lang
        out["lang_prob"] = prob
        return out

    def again(self, record: Record) -> Record:
        # a record lang has been through keeps its language; --keep still filters it
        lang = record.get("lang")
        self._keep(lang if isinstance(lang, str) else None)
        return record

    def _keep(self, lang: str | None) -> None:
        keep = self.config.keep
        if keep and (lang or UNDETERMINED) not in keep:
            raise Reject(f"lang {lang or UNDETERMINED} not in {','.join(keep)}", filtered=True)
