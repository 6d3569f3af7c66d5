"""The chain ``clean`` runs: every stage, in DESIGN.md's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lang import LangConfig, LangStage
from .pipeline import AnyStage


@dataclass(frozen=True)
class CleanConfig:
    """The options of each stage, as ``clean`` passes them on."""

    lang: LangConfig = field(default_factory=LangConfig)


def clean_chain(config: CleanConfig) -> list[AnyStage]:
    """ingest (done by the reader) -> extract -> strip -> split -> names -> lang."""
    return [
        LangStage(config.lang),
    ]
