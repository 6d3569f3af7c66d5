"""Exceptions the core raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations


class NewscleanError(Exception):
    """Base class: anything newsclean reports to the user as exit code 1."""


class InputError(NewscleanError):
    """Bad input, located: ``path:line: reason`` (line omitted for whole files)."""

    def __init__(self, path: str, reason: str, line: int | None = None, raw: str | None = None):
        self.path = path
        self.line = line
        self.reason = reason
        self.raw = raw
        self.where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{self.where}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None, str | None]]:
        # A worker process sends it back pickled; the default (the message as
        # the only argument) cannot rebuild it and breaks the pool instead.
        return (InputError, (self.path, self.reason, self.line, self.raw))


class Reject(NewscleanError):
    """Raised by a stage for a record that must leave the run, with its reason.

    The runner catches it and writes the record to the rejects file; it is never
    dropped silently. ``filtered`` marks a record left out on purpose (``lang
    --keep``), which does not make the run fail; anything else does.
    """

    def __init__(self, reason: str, filtered: bool = False):
        self.reason = reason
        self.filtered = filtered
        super().__init__(reason)

    def __reduce__(self) -> tuple[type[Reject], tuple[str, bool]]:
        return (Reject, (self.reason, self.filtered))
