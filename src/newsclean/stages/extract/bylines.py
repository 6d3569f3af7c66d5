"""Bylines: author names out of the text a page marks as its byline ("Written By:
Jane Doe Last Updated: August 1, 2025" -> "Jane Doe"), and the shape of a name line."""

from __future__ import annotations

import re

from newsclean.stages.extract.nodes import clean_text
from newsclean.text.htmldates import find_date_spans
from newsclean.text.persons import byline_labels

_BY = re.compile(
    r"^\s*(?:(?:written|authored|posted|published|reviewed|edited|words|story|text|report(?:ed|ing)?)"
    r"\s+)?(?:by|von|par|por|di|door|av)\s*[:\-]?\s+",
    re.I,
)
URLISH = re.compile(r"^(?:https?:|www\.|/)|@", re.I)
_NOT_A_NAME = re.compile(
    r"^(?:admin|administrator|webmaster|unknown|anonymous|the author|author|by)$"
    r"|^\d|[|{}<>]",
    re.I,
)


# --- meta tags, microdata, elements ---------------------------------------------


#: the byline labels of ``data/split/labels.txt``, longest first ("Authors" before "Author")
_LABELS = "|".join(re.escape(label.lower()) for label in sorted(byline_labels(), key=len)[::-1])
#: a Yoast ``twitter:labelN`` that says the ``twitter:dataN`` beside it is the author
WRITTEN_BY = re.compile(rf"^\s*(?:{_LABELS})\s*:?\s*$", re.I)
#: a label alone on its line ("Written by"), the name on the next
LABEL_LINE = re.compile(rf"^(?:{_LABELS})\s*:?$", re.I)


NAME_LINE = re.compile(
    r"^(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?(?:[A-Z][a-z'’-]+|[A-Z]\.)"
    r"(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|de|van|von|da|del|al)){1,3}$"
)
#: a user name after an explicit "Posted by" label
HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,30}$")


def split_byline(values: list[str]) -> list[str]:
    """Clean author names: no "By", dates, "5 min read", URLs or handles; no
    duplicates."""
    names: list[str] = []
    for value in values:
        name = clean_byline(value)
        if not name or len(name) > 80 or URLISH.search(name) or _NOT_A_NAME.search(name):
            continue
        if len(name.split()) > 8 or "facebook" in name.lower():
            continue  # a sentence or a social-media page, not a credit
        if name not in names:
            names.append(name)
    return names


_BYLINE_PARTS = re.compile(r"\s*(?:[•|·]|\s[-–—]\s|\bon\s(?=\S*\d))\s*")
#: a label at the start of a byline element's text; author boxes also say "Articles by"
_BYLINE_LABEL = re.compile(rf"^(?:{_LABELS}|articles by|insights from|more from)\s*:?\s*", re.I)
#: a job title run on after the name without a comma ("Jane Doe Marketing Director")
_ROLE = re.compile(
    r"\s+(?:(?:senior|junior|chief|lead|head|staff|managing|content|marketing|executive)\s+)*"
    r"(?:founder|co-founder|director|coordinator|editor|writer|manager|ceo|cto|cfo|"
    r"contributor|reporter|correspondent|columnist|president|officer|specialist|"
    r"strategist|analyst|consultant)\b.*$",
    re.I,
)
_BYLINE_NOISE = re.compile(
    r"\b(?:(?:last\s+)?updated|published|posted|reviewed by|fact[- ]checked|min(?:ute)?s?"
    r"\s+read|read time|comments?|share|follow)\b.*$",
    re.I,
)


def clean_byline(text: str) -> str:
    """The name in a byline element's text: "Written By: Jane Doe Last Updated:
    August 1, 2025" gives "Jane Doe"; a text that is only a date gives ""."""
    text = _BY.sub("", clean_text(text))
    for part in _BYLINE_PARTS.split(text):
        part = _BYLINE_LABEL.sub("", part.strip())
        dates = find_date_spans(part)
        if dates:
            part = part[: dates[0]].strip()
        part = _BYLINE_NOISE.sub("", part).strip(" ,;:-–—|")
        if "," not in part:
            part = _ROLE.sub("", part)
        if part and re.search(r"[^\W\d_]", part):
            return part
    return ""
