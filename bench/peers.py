"""The peers newsclean is measured against, run on the same pages in the same process.

Results are cached per process, so `python -m bench` runs each peer once for all sections.
"""

from __future__ import annotations

import html as html_lib
import re
import time
from dataclasses import dataclass
from functools import cache

from . import data


@dataclass(frozen=True)
class PeerRun:
    """One system's output on every page, in gold order, and its time per page."""

    name: str
    bodies: list[str]
    titles: list[str | None]
    authors: list[str | None]
    dates: list[str | None]
    ms_per_page: float


def _ids() -> list[str]:
    return [row["id"] for row in data.gold()]


@cache
def trafilatura(precision: bool = False) -> PeerRun:
    """trafilatura ``extract`` on the HTML (default, or ``favor_precision``), with metadata."""
    import json

    import trafilatura as tf

    bodies: list[str] = []
    titles: list[str | None] = []
    authors: list[str | None] = []
    dates: list[str | None] = []
    pages = [data.page_html(i) for i in _ids()]
    start = time.perf_counter()
    for page in pages:
        out = tf.extract(
            page,
            output_format="json",
            with_metadata=True,
            favor_precision=precision,
        )
        doc = json.loads(out) if out else {}
        bodies.append(doc.get("text") or "")
        titles.append(doc.get("title"))
        authors.append(doc.get("author"))
        dates.append(doc.get("date"))
    ms = (time.perf_counter() - start) * 1000 / len(pages)
    name = "trafilatura favor_precision" if precision else "trafilatura extract"
    return PeerRun(name, bodies, titles, authors, dates, ms)


@cache
def justext_lines() -> PeerRun:
    """jusText on the page text, each line wrapped as a ``<p>`` (bench README's setup)."""
    import justext

    stoplist = justext.get_stoplist("English")
    texts = [data.page_text(i) for i in _ids()]
    bodies: list[str] = []
    start = time.perf_counter()
    for text in texts:
        markup = "".join(
            f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines() if line.strip()
        )
        paragraphs = justext.justext(f"<html><body>{markup}</body></html>", stoplist)
        bodies.append("\n\n".join(p.text for p in paragraphs if not p.is_boilerplate))
    ms = (time.perf_counter() - start) * 1000 / len(texts)
    none = [None] * len(texts)
    return PeerRun("jusText (lines as <p>)", bodies, none, none, none, ms)


_C4_POLICY = re.compile(
    r"terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies|"
    r"javascript|lorem ipsum|\{",
    re.I,
)
_C4_END = (".", "!", "?", '"', "”", "'", "’")


def c4_keep(line: str) -> bool:
    """C4's line rules: terminal punctuation, at least 5 words, no policy words."""
    line = line.strip()
    return line.endswith(_C4_END) and len(line.split()) >= 5 and not _C4_POLICY.search(line)


@cache
def c4_lines() -> PeerRun:
    texts = [data.page_text(i) for i in _ids()]
    start = time.perf_counter()
    bodies = ["\n\n".join(ln for ln in t.splitlines() if c4_keep(ln)) for t in texts]
    ms = (time.perf_counter() - start) * 1000 / len(texts)
    none = [None] * len(texts)
    return PeerRun("C4 line rules", bodies, none, none, none, ms)
