"""strip and split over the line model: two views of one labelling.

Both label the record's ``text`` (the same units, the same roles) and keep what their job
needs: strip drops the boilerplate units; split also moves title, byline, dates, captions
and the rest into fields. Both derive everything from ``text``, so either may run on the
other's output, or on its own, and give the same record again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Protocol

from newsclean.record import Record, warn
from newsclean.stages.base import BatchStage
from newsclean.stages.lines import roles as R
from newsclean.stages.lines.evidence import Evidence, text_keys
from newsclean.stages.lines.label import Labelled, label_text
from newsclean.stages.lines.model import shipped
from newsclean.stages.strip.rules import Rules, compile_rules, load_rules, read_rules
from newsclean.text.dates import parse_now


class Options(Protocol):
    """What strip's and split's configs share: a user's rule files (the format of
    ``data/strip/rules.txt``; a line one of them names is boilerplate, whatever the
    model says) and the time "3 hours ago" counts from."""

    @property
    def rules(self) -> tuple[str, ...]: ...

    @property
    def now(self) -> str | None: ...


def _user_rules(paths: tuple[str, ...]) -> Rules | None:
    return compile_rules(read_rules(paths)) if paths else None


def source_text(record: Record) -> str | None:
    text = record.get("text")
    if isinstance(text, str):
        return text
    body = record.get("body")
    return body if isinstance(body, str) else None


def _page_title(record: Record) -> str | None:
    """The title extract read from the page's markup, when the text came from HTML."""
    title = record.get("title")
    prov = record.get("provenance")
    if isinstance(title, str) and isinstance(prov, dict) and prov.get("title"):
        return title
    return None


class LineStage(BatchStage):
    """What strip and split share: the batch evidence and the labelling."""

    def __init__(self, config: Options) -> None:
        self.config = config
        if config.now:
            parse_now(config.now)  # a bad --now fails before any input is read
        self.user_rules = _user_rules(config.rules)  # a bad file fails before any input

    def prepare(self) -> None:
        load_rules()
        shipped()

    def map(self, record: Record) -> list[int]:
        text = source_text(record)
        return text_keys(text) if text else []

    def reduce(self, parts: Iterable[list[int]]) -> Evidence:
        return Evidence.of(parts)

    def label(self, record: Record, evidence: Evidence | None) -> Labelled | None:
        text = source_text(record)
        if text is None:
            return None
        return label_text(
            text,
            page_title=_page_title(record),
            evidence=evidence,
            user_rules=self.user_rules,
        )

    def apply(self, record: Record, model: Any = None) -> Record:
        labelled = self.label(record, model)
        if labelled is None:
            return warn(record, f"{self.name}: no text; left as is")
        return self.build(record, labelled)

    def build(self, record: Record, labelled: Labelled) -> Record:
        raise NotImplementedError


def removed(labelled: Labelled, keep: Collection[str]) -> list[dict[str, Any]]:
    out = []
    for unit, role, rule in zip(labelled.units, labelled.roles, labelled.rules, strict=True):
        if role not in keep:
            out.append({"text": unit.text, "rule": f"{role}:{rule}" if rule else role})
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(record: Record, stage: LineStage, evidence: Evidence | None = None) -> str:
    """Each unit of one article with its role, the model's probability and the features
    that pushed most towards that role (or the user's rule that decided it)."""
    head = f"# {stage.name} --explain {record.get('id')}"
    labelled = stage.label(record, evidence)
    if labelled is None:
        return f"{head}\n(no text: nothing to label)\n"
    why = _reasons(labelled)
    rows = [head, "# role        prob  why" + " " * 52 + "line"]
    for i, unit in enumerate(labelled.units):
        role, prob = labelled.roles[i], labelled.probs[i]
        rows.append(f"  {role:10} {prob:5.2f}  {_cut(why[i], 54):54}  {_cut(unit.text, 90)}")
    kept = sum(r in R.CONTENT for r in labelled.roles)
    rows.append(f"# {len(labelled.units)} units: {kept} kept, {len(labelled.units) - kept} removed")
    return "\n".join(rows) + "\n"


def _reasons(labelled: Labelled) -> list[str]:
    """Per unit, the user's rule that decided it, or the model's strongest reasons."""
    model = shipped()
    out = [""] * len(labelled.units)
    for role in sorted(set(labelled.roles)):
        rows = [i for i, r in enumerate(labelled.roles) if r == role and not labelled.rules[i]]
        if rows:
            for i, reasons in zip(rows, model.reasons(labelled.features[rows], role), strict=True):
                out[i] = ", ".join(reasons)
    for i, rule in enumerate(labelled.rules):
        if rule:
            out[i] = f"your rule {rule}"
    return out
