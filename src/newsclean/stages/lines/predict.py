"""One page's text cleaned by a given line model: the record fields split would write.

The stages use the shipped model; ``bench lines`` and ``train.cv`` call this with a model
trained without the page's site, which is how held-out figures are made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsclean.stages.lines.assemble import assemble
from newsclean.stages.lines.evidence import Evidence, text_keys
from newsclean.stages.lines.label import label_text
from newsclean.stages.lines.model import LineModel


def clean_text(
    text: str,
    model: LineModel | None = None,
    page_title: str | None = None,
    evidence: Evidence | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """``body`` and the split fields of one page's text."""
    labelled = label_text(text, page_title=page_title, evidence=evidence, model=model)
    fields = assemble(labelled.units, labelled.roles, text, now, labelled.probs)
    return {**fields.as_record(), "body": "\n\n".join(fields.paragraphs)}


def batch_evidence(texts: Sequence[str]) -> Evidence:
    """The recurrence of lines across a batch of page texts (strip's map and reduce)."""
    return Evidence.of(text_keys(t) for t in texts)


_EVIDENCE: dict[int, tuple[Sequence[str], Evidence]] = {}


def clean(model: LineModel, page: dict[str, Any]) -> dict[str, Any]:
    """``bench lines``'s entry: a page ``{"text", "page_title", "batch"}`` cleaned by
    ``model``; ``batch`` (the texts of the drop it came in) gives the batch evidence."""
    batch = page.get("batch")
    evidence = None
    if batch:
        known = _EVIDENCE.get(id(batch))
        if known is None or known[0] is not batch:
            known = (batch, batch_evidence(batch))
            _EVIDENCE.clear()
            _EVIDENCE[id(batch)] = known
        evidence = known[1]
    title = page.get("page_title") if page.get("corpus") == "wcxb-html" else None
    return clean_text(page["text"], model, title, evidence)
