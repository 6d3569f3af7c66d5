"""The chain ``clean`` runs: every stage, in DESIGN.md's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from .names import NamesConfig, NamesStage
from .pipeline import AnyStage


@dataclass(frozen=True)
class CleanConfig:
    """The options of each stage, as ``clean`` passes them on."""

    names: NamesConfig = field(default_factory=NamesConfig)


def clean_chain(config: CleanConfig) -> list[AnyStage]:
    """ingest (done by the reader) -> extract -> strip -> split -> names -> lang."""
    stages: list[AnyStage] = []
    stages.append(NamesStage(config.names))
    return stages
