"""``extract``: HTML records to text and metadata.

For a record with ``html``, the page is parsed once (lxml); that tree feeds both
the metadata readers (:mod:`newsclean.stages.extract.meta`) and trafilatura, which finds the
main text. The record gets ``text`` (paragraphs, headings, list items and table
rows as blocks separated by a blank line; comments left out), ``title``,
``byline``, ``published``, ``updated``, ``captions``, ``site``, ``url`` when it
had none, and ``provenance``: which source each metadata field came from.

Where sources disagree, the order in ``data/extract/sources.json`` decides: for
each field, the sources in the order they were found right most often on the
WCXB benchmark. Text records pass through unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from newsclean.errors import Reject
from newsclean.record import EXTRACTED_BY, Record, warn
from newsclean.stages.base import Stage
from newsclean.text.decode import looks_binary


@dataclass(frozen=True)
class ExtractConfig:
    """How HTML becomes text and metadata.

    keep_html: keep the ``html`` field in the output (dropped by default: it is
        most of a record's size and no later stage needs it).
    max_html_bytes: reject a page whose HTML is larger than this (UTF-8 bytes).
    precision: trafilatura's ``favor_precision`` (less text, less boilerplate);
        the default favours recall, since strip and split clean up after it.
    fallbacks: let trafilatura compare its result with readability and jusText.
        On by default: on WCXB dev it adds about 0.8 points of body F1 after
        strip and split, and with trafilatura's own metadata extraction (htmldate)
        and comments left out the stage still takes less time per page than
        trafilatura ``extract`` (bench/bench_html.py measures both side by side).
        Off (``--fast``) saves a few ms per page.
    """

    keep_html: bool = False
    max_html_bytes: int = 10 * 1024 * 1024
    precision: bool = False
    fallbacks: bool = True


@cache
def source_order() -> dict[str, list[str]]:
    """Per field, the metadata sources from most to least trusted (a data file,
    so users can reorder it)."""
    text = resources.files("newsclean").joinpath("data/extract/sources.json").read_text("utf-8")
    order: dict[str, list[str]] = json.loads(text)["order"]
    return order


_FILLED = ("title", "byline", "published", "updated", "captions", "site", "url")


def _given(value: object) -> bool:
    return value is not None and value != "" and value != []


class ExtractStage(Stage):
    name = "extract"

    def __init__(self, config: ExtractConfig | None = None):
        self.config = config or ExtractConfig()

    def apply(self, record: Record) -> Record:
        html = record.get("html")
        if not isinstance(html, str):
            return record
        config = self.config
        size = len(html.encode("utf-8", "surrogatepass"))
        if size > config.max_html_bytes:
            raise Reject(
                f"HTML of {size} bytes is over the {config.max_html_bytes}-byte limit "
                "(--max-html-bytes)"
            )
        if looks_binary(html):
            raise Reject("binary data, not HTML")
        # The time bound is the runner's (--timeout, per article and stage).
        page = extract_page(html, config)
        out = dict(record)
        if not config.keep_html:
            del out["html"]
        # What the record already holds (a JSONL export's own text, title or url)
        # wins; extract fills the gaps and says where each filled field came from.
        provenance = dict(record.get("provenance") or {})
        for name in ("text", *_FILLED):
            value = getattr(page, name)
            if _given(record.get(name)):
                continue
            out[name] = value
            if value and name in page.provenance:
                provenance[name] = page.provenance[name]
        if out.get("text") and not _given(record.get("text")):
            # strip reads this: the text is a page's main content, not a page dump.
            provenance["text"] = EXTRACTED_BY
        out["provenance"] = provenance
        for message in page.warnings:
            out = warn(out, message)
        return out


@dataclass
class Page:
    """What one HTML page gave."""

    text: str = ""
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    captions: list[dict[str, str | None]] = field(default_factory=list)
    site: str | None = None
    url: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def extract_page(html: str, config: ExtractConfig) -> Page:
    """Text and metadata of one page; never raises on bad HTML (the page comes
    back empty, with a warning saying why)."""
    from newsclean.stages.extract import body as htmlbody
    from newsclean.stages.extract.captions import captions
    from newsclean.stages.extract.choose import choose
    from newsclean.stages.extract.meta import collect

    if not html.strip():
        return Page(warnings=["empty HTML: no text extracted"])
    page = Page()
    repaired = htmlbody.repair_mojibake(html)
    if repaired is not None:
        html = repaired
        page.warnings.append("UTF-8 read with the wrong charset (mojibake): repaired")
    tree = htmlbody.parse(html)
    if tree is None:
        page.warnings.append("not parseable as HTML: no text extracted")
        return page
    meta = choose(collect(tree), source_order())
    for name, (value, source) in meta.items():
        setattr(page, name, value)
        page.provenance[name] = source
    page.captions = captions(tree)
    if page.captions:
        page.provenance["captions"] = "figcaption"
    if tree.find(".//body") is None:
        page.warnings.append("no <body> in the page: no text extracted")
        return page
    page.text = htmlbody.main_text(tree, config)
    if not page.text:
        reason = htmlbody.why_empty(tree)
        page.warnings.append(f"no main text found: {reason}")
    return page
