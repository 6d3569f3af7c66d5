"""What the label builders share: where the data is, text normalisation, shingles, site
grouping and folds, and the generic text cues that name a boilerplate line's kind."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WCXB = SHARED / "bench" / "wcxb-dev"
NEWSDEV = SHARED / "newsdev"
BUILD = Path(__file__).resolve().parent / "build"
FOLDS = 5

_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")
_SPACE = re.compile(r"\s+")


def require_shared() -> None:
    """Exit with a clear message when ../shared (the labelled corpora) is missing."""
    missing = [p for p in (WCXB / "gold.jsonl", NEWSDEV / "gold.json") if not p.exists()]
    if missing:
        sys.exit(
            "train.labels needs the shared corpora beside the checkout; missing: "
            + ", ".join(str(p) for p in missing)
        )


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Word tokens after NFKC and case folding (punctuation and quotes ignored)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def norm_meta(text: str | None) -> str:
    """The README's metadata matching: NFKC, lower case, non-word runs to one space."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def shingle_set(toks: list[str], n: int = 4) -> set[tuple[str, ...]]:
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def coverage(toks: list[str], gold: set[tuple[str, ...]]) -> float:
    """Share of the 4-token shingles of ``toks`` found in ``gold``."""
    mine = [tuple(toks[i : i + 4]) for i in range(len(toks) - 3)] or [tuple(toks)]
    return sum(s in gold for s in mine) / len(mine) if toks else 0.0


_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gob", "nic"}


def registered_domain(url: str) -> str:
    """The host without "www.", cut to the registered domain: the last two labels, or three
    when the second-to-last is a generic second level under a country code (bbc.co.uk)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def fold_of(site: str) -> int:
    """A stable fold for a site group: sha1 of the key, mod FOLDS (never Python's hash())."""
    return int(hashlib.sha1(site.encode("utf-8")).hexdigest(), 16) % FOLDS


# Generic text cues for a boilerplate line's kind, tried in this order.
_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(r"^(tags?|topics?|keywords?)\s*:", re.I)),
    ("consent", re.compile(r"\bcookies?\b|\bconsent\b|\bgdpr\b|privacy (policy|settings)", re.I)),
    (
        "comments",
        re.compile(
            r"\bcomments?\b|commentaires|comentarios|join the conversation|\breply\b|"
            r"\bmoderat|community guidelines",
            re.I,
        ),
    ),
    (
        "legal",
        re.compile(r"©|\(c\) \d{4}|copyright|all rights reserved|terms of (use|service)", re.I),
    ),
    (
        "promo",
        re.compile(
            r"newsletter|subscri|sign up|signup|\bmembers?(hip)?\b|download (our|the) app|"
            r"\bour app\b|\bapp\b.*\b(store|install|download)|paywall|premium|telegram|"
            r"\binbox\b|free articles|abonn|suscr|unlimited access|"
            r"\b(download|get|install) (the |our )?[\w&' ]{0,40}\bapp\b|available on (ios|android)|"
            r"\b(morning|daily|weekly|evening) briefing\b|enter your email",
            re.I,
        ),
    ),
    (
        "share",
        re.compile(
            r"^(share|partager|compartir)\b|\bshare (this|on)\b|facebook|twitter|whatsapp|"
            r"linkedin|pinterest|copy link|\bemail\b.*\b(x|twitter|facebook)\b",
            re.I,
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(related|read more|read next|read also|read:|more on|more from|most (read|"
            r"popular|viewed)|the latest|latest|you (might|may) also like|recommended|"
            r"trending|lire aussi|sur le même sujet|lee también|lo más leído|see also)",
            re.I,
        ),
    ),
    (
        "ad",
        re.compile(r"advertisement|\banzeige\b|sponsored|story continues|scroll to continue", re.I),
    ),
    (
        "bio",
        re.compile(
            r"about the author|\bis (an?|the) (senior )?[\w ]{0,30}"
            r"(correspondent|editor|reporter|writer|journalist)\b",
            re.I,
        ),
    ),
    (
        "menu",
        re.compile(
            r"^(skip to|home\b|menu\b|search\b|log ?in|sign ?in|register\b|show more\b|"
            r"accueil\b|inicio\b)|\s[|·»›>▾]\s|\t|\S {2,}\S|\s\|$",
            re.I,
        ),
    ),
)


def text_kind(text: str) -> str | None:
    """The boilerplate kind a line's own words suggest, or None."""
    for kind, pattern in _KIND_CUES:
        if pattern.search(text):
            return kind
    return None
