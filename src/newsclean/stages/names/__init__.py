"""Person names: detection, transliteration-insensitive matching, clustering
across a batch, and the ``names`` stage that rewrites them to one spelling."""

from newsclean.stages.names.stage import NamesConfig, NamesStage

__all__ = ["NamesConfig", "NamesStage"]
