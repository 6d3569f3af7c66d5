"""Run every benchmark section, or the ones named: ``python -m bench body meta``.

Each section is a module ``bench/bench_<name>.py`` with a ``main() -> None`` that
prints its own table.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def sections() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> None:
    chosen = argv or sections()
    for name in chosen:
        start = time.perf_counter()
        print(f"\n## {name}\n", flush=True)
        importlib.import_module(f"bench.bench_{name}").main()
        print(f"\n({name}: {time.perf_counter() - start:.1f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
