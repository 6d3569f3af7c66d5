"""Accounting for one run: what came in, what went out, what was rejected and why.

Nothing is dropped silently: every record either reaches the output or is
counted here and, with ``--rejects FILE``, written there with its reason.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from newsclean.text.decode import scrub


@dataclass
class Report:
    rejects: IO[str] | None = None
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    records_in: int = 0
    records_out: int = 0
    rejected: int = 0
    #: rejects that were filtered on purpose (and so do not fail the run)
    filtered: int = 0
    removed_lines: int = 0
    #: records of inputs unchanged since an earlier run (--state): written again
    #: from the state file, not processed, not counted in ``records_in``/``out``
    kept: int = 0
    kept_inputs: int = 0
    #: wall-clock seconds of the run, once it is over
    seconds: float | None = None
    reasons: Counter[str] = field(default_factory=Counter)

    def reject(self, where: str, reason: str, payload: Any = None, filtered: bool = False) -> None:
        """Account for one input that will not reach the output."""
        self.rejected += 1
        self.filtered += filtered
        self.reasons[reason.split(":")[0]] += 1
        if self.rejects is not None:
            # a reject may hold what could not be written as a record (a lone
            # surrogate): scrubbed, the rejects file itself can always be written
            row, _ = scrub({"where": where, "reason": reason, "input": payload})
            self.rejects.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

    @property
    def unaccounted(self) -> int:
        """Records that came in but neither went out nor were rejected: a bug
        somewhere, and never hidden: the summary shows it and the run fails."""
        return self.records_in - self.records_out - self.rejected

    @property
    def failed(self) -> bool:
        """Whether any input was rejected for being bad (not filtered on purpose),
        or the books do not balance."""
        return self.rejected > self.filtered or self.unaccounted != 0

    def fails(self, allowed: int = 0) -> bool:
        """Whether the run fails: the books do not balance, or more than ``allowed``
        inputs were rejected for being bad (-1: any number may be, ``--skip-invalid``)."""
        bad = self.rejected - self.filtered
        return self.unaccounted != 0 or (allowed >= 0 and bad > allowed)

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"newsclean: warning: {message}", file=self.stderr)

    def summary(self) -> str:
        parts = [
            f"{self.records_in} in",
            f"{self.records_out} out",
            f"{self.rejected} rejected",
        ]
        if self.filtered:
            parts[-1] += f" ({self.filtered} filtered on purpose)"
        if self.unaccounted:
            parts.append(f"{self.unaccounted} UNACCOUNTED (in != out + rejected)")
        if self.removed_lines:
            parts.append(f"{self.removed_lines} lines removed")
        if self.kept_inputs:
            parts.append(f"{self.kept} kept from {self.kept_inputs} unchanged inputs")
        line = ", ".join(parts)
        if self.reasons:
            why = "; ".join(f"{n} {r}" for r, n in sorted(self.reasons.items()))
            line += f" ({why})"
        if self.seconds is not None:
            line += f" in {self.seconds:.1f} s"
        return line
