"""The split stage: title, section, standfirst, byline, dateline, dates, captions,
headings and sources out of the body into fields of their own.

The line model labels every line (:mod:`newsclean.stages.lines`); this reads the values
out of the labelled lines (:mod:`newsclean.stages.lines.assemble`). Fields extract
already set from the page's markup are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclean.record import Record
from newsclean.stages.lines import roles as R
from newsclean.stages.lines.assemble import assemble
from newsclean.stages.lines.label import Labelled
from newsclean.stages.lines.stage import LineStage, removed, source_text
from newsclean.stages.strip.stage import StripConfig
from newsclean.text.dates import parse_now


@dataclass(frozen=True)
class SplitConfig:
    """Options of ``split``.

    now: the time "3 hours ago" is counted from (ISO 8601); None leaves its iso null.
    rules: a user's strip rule files, so that split labels lines as strip does.
    """

    now: str | None = None
    rules: tuple[str, ...] = ()


class Split(LineStage):
    """Title, byline, dates, captions, headings, sources out of the body into fields."""

    name = "split"

    def __init__(self, config: SplitConfig | None = None) -> None:
        super().__init__(config or SplitConfig())

    def build(self, record: Record, labelled: Labelled) -> Record:
        now = parse_now(self.config.now) if self.config.now else None
        fields = assemble(
            labelled.units, labelled.roles, source_text(record) or "", now, labelled.probs
        )
        out = dict(record)
        for name, value in fields.as_record().items():
            if record.get(name) in (None, [], ""):
                out[name] = value
        out["body"] = "\n\n".join(fields.paragraphs)
        cut = [{"text": fields.dateline_text, "rule": R.DATELINE}] if fields.dateline_text else []
        out["removed"] = removed(labelled, R.IN_BODY) + cut
        return out


class StripSplit(Split):
    """strip and split in one labelling, for ``clean``: split's record is the record
    strip then split give (both derive it from ``text`` alone), and it lists both as
    done. Labelling a page once instead of twice is half of their cost."""

    covers = ("strip",)

    def __init__(self, strip: StripConfig, split: SplitConfig) -> None:
        if strip.rules != split.rules:
            split = SplitConfig(now=split.now, rules=strip.rules + split.rules)
        super().__init__(split)
