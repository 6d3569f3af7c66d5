"""The alias file (``--aliases FILE``): canonical spellings, their variants, and
pairs that must never merge.

JSON, so that names with any punctuation need no escaping::

    {
      "people": [
        {"canonical": "Thabit al-Abbasi",
         "variants": ["Thabet Muhammad al-Abbasi", "Thabit Al-Abbas"]}
      ],
      "never": [["Mahmoud Abbas", "Thabit al-Abbasi"]]
    }

A person's canonical spelling wins over the batch's most frequent one; its
variants join it even when the spelling rules would not join them. A ``never``
pair keeps the two names (and everything clustered with them) apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from newsclean.errors import NewscleanError


def normal(text: str) -> str:
    """A written form with its whitespace normalised: the identity of a form."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Aliases:
    people: tuple[tuple[str, tuple[str, ...]], ...] = ()
    never: frozenset[frozenset[str]] = field(default_factory=frozenset)

    def group_of(self, form: str) -> int | None:
        form = normal(form)
        for index, (canonical, variants) in enumerate(self.people):
            if form == canonical or form in variants:
                return index
        return None

    def forbids(self, a: str, b: str) -> bool:
        return frozenset((normal(a), normal(b))) in self.never


def load_aliases(path: str | Path | None) -> Aliases:
    if path is None:
        return Aliases()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewscleanError(f"{path}: cannot read the alias file: {exc}") from exc
    if not isinstance(data, dict):
        raise NewscleanError(f"{path}: the alias file must be a JSON object")
    people = []
    for entry in data.get("people", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("canonical"), str):
            raise NewscleanError(f"{path}: each person needs a 'canonical' string: {entry!r}")
        variants = tuple(normal(v) for v in entry.get("variants", []) if isinstance(v, str))
        people.append((normal(entry["canonical"]), variants))
    never = []
    for pair in data.get("never", []):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise NewscleanError(f"{path}: each 'never' entry is a list of two names: {pair!r}")
        never.append(frozenset(normal(p) for p in pair))
    return Aliases(tuple(people), frozenset(never))
