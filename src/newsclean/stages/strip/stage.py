"""The strip stage: boilerplate out of the article text, every removed line kept with its
role (menu, share, consent, promo, teaser, comments, bio, legal, ad, other).

Which lines are boilerplate is the line model's decision (:mod:`newsclean.stages.lines`);
a user's ``--rules`` line overrides it. Titles, bylines, dates and captions stay in the
body for split.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclean.record import Record
from newsclean.stages.lines import roles as R
from newsclean.stages.lines.label import Labelled
from newsclean.stages.lines.stage import LineStage, removed


@dataclass(frozen=True)
class StripConfig:
    """Options of ``strip``.

    rules: a user's rule files (the format of ``data/strip/rules.txt``); a line one of
        them names is boilerplate, whatever the model says.
    """

    rules: tuple[str, ...] = ()
    now: str | None = None


class Strip(LineStage):
    """Boilerplate out of ``text`` into ``body``; every removed unit into ``removed``."""

    name = "strip"

    def __init__(self, config: StripConfig | None = None) -> None:
        super().__init__(config or StripConfig())

    def build(self, record: Record, labelled: Labelled) -> Record:
        kept = [
            u.text for u, r in zip(labelled.units, labelled.roles, strict=True) if r in R.CONTENT
        ]
        out = dict(record)
        out["body"] = "\n\n".join(kept)
        out["removed"] = removed(labelled, R.CONTENT)
        return out
