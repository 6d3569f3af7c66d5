"""``settle``: clean the clean body again until it stops changing (issue #9).

``clean`` must be idempotent: a clean body fed back as ``text`` comes out unchanged.
strip and split cannot always tell a page dump from a clean body (a clean body that
opens on a short heading looks like a page opening on its headline; strip's layout
verdicts shift once split has taken the header lines out), so instead of guessing,
the chain runs strip then split on its own body, as a fresh record, until a round
changes nothing. Only ``body`` and ``removed`` change: the fields stay those read from
the page. Each round only removes lines, so it stops; ``rounds`` bounds the work.
"""

from __future__ import annotations

from typing import Any, Protocol

from newsclean.errors import Reject
from newsclean.record import EXTRACTED_BY, Record, warn
from newsclean.stages.strip.stage import Strip, StripConfig, is_extracted


class Rounds(Protocol):
    """What settle reads of split's config."""

    @property
    def settle_rounds(self) -> int: ...
    @property
    def strip_rules(self) -> tuple[str, ...]: ...


class Resplit(Protocol):
    """split's ``split_record`` (passed in: split imports this module, not the reverse)."""

    def __call__(self, record: Record, config: Any, *, lines_only: bool) -> Record: ...


def settle(record: Record, config: Rounds, split_record: Resplit) -> Record:
    """strip then split on ``body`` until it is a fixpoint (at most
    ``config.settle_rounds`` rounds); what left the body goes to ``removed``.

    split calls this itself once strip has run, so ``strip | split`` and ``clean``
    give the same records."""
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        return record
    removed = list(record.get("removed") or [])
    strip = Strip(StripConfig(rules=config.strip_rules))
    # Text extract took from a page stays such text when cleaned again.
    extracted = is_extracted(record)
    for _ in range(config.settle_rounds):
        # The same record a user gets by feeding the body back as text (with the
        # provenance saying the text came from a page, when it did).
        fresh: Record = {"id": record.get("id"), "text": body}
        if extracted:
            fresh["provenance"] = {"text": EXTRACTED_BY}
        try:
            # Only body and removed are read from the round: split skips the fields
            # that take no line (and split_record, unlike Split, never settles).
            again = split_record(strip.apply(fresh, None), config, lines_only=True)
        except Reject:
            break
        new = again.get("body")
        if not isinstance(new, str) or new == body:
            break
        removed.extend(again.get("removed") or [])
        body = new
    if body == record.get("body"):
        return record
    out = dict(record)
    out["body"] = body
    out["removed"] = removed
    if not body.strip():
        # What was left (a lone headline, a byline) is itself header, cleaned again.
        return warn(out, "settle: the body was header lines only; body is empty")
    return out
