"""One page's text cleaned by a given line model: the record fields split would write.

The stages use the shipped model; ``bench lines`` and ``train.cv`` call this with a model
trained without the page's site, which is how held-out figures are made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsclean.stages.lines.assemble import assemble
from newsclean.stages.lines.evidence import Evidence
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
    fields = assemble(labelled.units, labelled.roles, text, now)
    return {**fields.as_record(), "body": "\n\n".join(fields.paragraphs)}


def clean(model: LineModel, page: dict[str, Any]) -> dict[str, Any]:
    """``bench lines``'s entry: a page ``{"text", "page_title", ...}`` cleaned by ``model``."""
    return clean_text(page["text"], model, page.get("page_title"))
