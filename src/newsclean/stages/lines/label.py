"""A page's text to labelled units: split, join wrapped lines, read features, tag.

This is the one decision strip and split share: both call ``label_text`` and keep what
their own job needs of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.evidence import Evidence
from newsclean.stages.lines.features import Context, page_matrix
from newsclean.stages.lines.model import LineModel, shipped
from newsclean.stages.lines.page import page_lines
from newsclean.stages.lines.units import Unit, units
from newsclean.stages.strip.rules import Rules, key, load_rules

#: A unit of at least this many words is prose enough to be an article's body.
BODY_WORDS = 50


def with_body(units: Sequence[Unit], roles: Sequence[str]) -> list[str]:
    """The roles, with the longest unit made body when the model left the page with no
    body at all and that unit reads as prose: a page is an article, so it has one (a
    page extracted as one long line, a one-paragraph article)."""
    out = list(roles)
    if any(r in R.IN_BODY for r in out) or not units:
        return out
    longest = max(range(len(units)), key=lambda i: (len(units[i].text.split()), -i))
    if len(units[longest].text.split()) >= BODY_WORDS:
        out[longest] = R.BODY
    return out


@dataclass(frozen=True)
class Labelled:
    """A page's units with their roles, the model's probability of each, the rule that
    overrode the model (a user's ``--rules`` line) or None, and their features."""

    units: list[Unit]
    roles: list[str]
    probs: list[float]
    rules: list[str | None]
    features: np.ndarray


def label_text(
    text: str,
    page_title: str | None = None,
    evidence: Evidence | None = None,
    user_rules: Rules | None = None,
    model: LineModel | None = None,
    rules: Rules | None = None,
) -> Labelled:
    """Label every unit of ``text``. ``user_rules``: a user's rules, which override the
    model; ``rules``: the rules the model reads as features (default: the shipped ones)."""
    found = units(page_lines(text))
    recurrence = evidence.others(found) if evidence is not None else ()
    ctx = Context(page_title=page_title, recurrence=recurrence)
    model = model or shipped()
    feats = page_matrix(found, ctx, rules if rules is not None else load_rules(), model.vocab)
    tagged = model.tag(feats)
    roles, probs = with_body(found, tagged.roles), list(tagged.probs)
    forced: list[str | None] = [None] * len(found)
    if user_rules is not None:
        for i, u in enumerate(found):
            rule = user_rules.match(key(u.text))
            if rule is not None:
                roles[i], probs[i], forced[i] = R.OTHER, 1.0, rule
    return Labelled(found, roles, probs, forced, feats)
