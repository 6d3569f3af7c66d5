"""The chain ``clean`` runs: every stage, in DESIGN.md's order."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsclean.stages.base import AnyStage
from newsclean.stages.extract.stage import ExtractConfig, ExtractStage
from newsclean.stages.lang.stage import LangConfig, LangStage
from newsclean.stages.names import NamesConfig, NamesStage
from newsclean.stages.split.stage import SplitConfig, StripSplit
from newsclean.stages.strip.stage import StripConfig


@dataclass(frozen=True)
class CleanConfig:
    """The options of each stage, as ``clean`` passes them on."""

    extract: ExtractConfig = field(default_factory=ExtractConfig)
    strip: StripConfig = field(default_factory=StripConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    names: NamesConfig = field(default_factory=NamesConfig)
    lang: LangConfig = field(default_factory=LangConfig)


def clean_chain(config: CleanConfig) -> list[AnyStage]:
    """ingest (done by the reader) -> extract -> strip and split (one labelling of each
    page: the records strip then split give) -> names -> lang."""
    return [
        ExtractStage(config.extract),
        StripSplit(config.strip, config.split),
        NamesStage(config.names),
        LangStage(config.lang),
    ]
