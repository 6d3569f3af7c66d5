"""Photo captions and their credits from ``<figure>``/``<figcaption>``."""

from __future__ import annotations

import re
from typing import Any

from lxml.etree import XPath

from newsclean.stages.extract.nodes import clean_text

# --- captions ------------------------------------------------------------------

_CREDIT_CLASS = XPath(
    ".//*[contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'credit')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'copyright')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'source')"
    " or contains(translate(@class, 'CDEIORTPGHSU', 'cdeiortpghsu'), 'photographer')]"
)
_CREDIT_TAIL = re.compile(
    r"(?:[\s(\[]|^)(?:(?:photo(?:graph)?|picture|image|credit|source|foto|bild)s?"
    r"(?:\s+credit)?\s*(?::|by)|©|\(c\)|copyright)\s*(?P<credit>[^()\[\]]{2,80}?)[)\]]?\s*$",
    re.I,
)


def captions(tree: Any) -> list[dict[str, str | None]]:
    """``<figure>``/``<figcaption>`` captions and their credits ("Reuters")."""
    out: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for figcaption in tree.iterfind(".//figcaption"):
        credit: str | None = None
        credit_elements = _CREDIT_CLASS(figcaption)
        parts = []
        for element in credit_elements:
            parts.append(clean_text(" ".join(element.itertext())))
        text = clean_text(" ".join(figcaption.itertext()))
        for part in parts:
            if part and part in text:
                credit = credit or _credit_name(part)
                text = clean_text(text.replace(part, " "))
        if credit is None:
            match = _CREDIT_TAIL.search(text)
            if match:
                credit = clean_text(match["credit"]).strip(" .,;:")
                text = text[: match.start()].strip()
        text = text.strip()
        if not text:
            continue
        key = f"{text}\x00{credit}"
        if key in seen:
            continue
        seen.add(key)
        out.append({"text": text, "credit": credit or None})
    return out


def _credit_name(text: str) -> str | None:
    match = _CREDIT_TAIL.search(text)
    name = match["credit"] if match else text
    name = clean_text(name).strip(" .,;:()[]")
    return name or None
