"""Modules over ~600 lines and functions over ~60 lines (issue #18: small rooms).

    python scripts/sizes.py [--all] [ROOT]

Counts physical lines (docstrings and comments included: they are read too).
By default skips what #18 leaves to other issues (stages/strip, stages/split,
stages/names) and the CLI commands, whose typer option lists are long by nature;
``--all`` shows them too. Prints one line per finding; exits 0 (a report, not a gate).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LINES = 600
FUNCTION_LINES = 60
#: owned by other issues (#15: strip and split; #16: names)
OTHERS = ("stages/strip/", "stages/split/", "stages/names/")
#: typer commands: their signatures are the option lists
OPTION_LISTS = ("cli/cmd_",)


def functions(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length) of every function, methods and nested ones too."""
    out: list[tuple[str, int, int]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                length = (child.end_lineno or child.lineno) - start + 1
                out.append((f"{prefix}{child.name}", child.lineno, length))
                walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}{child.name}.")
            else:
                walk(child, prefix)

    walk(tree, "")
    return out


def main(argv: list[str]) -> int:
    everything = "--all" in argv
    args = [a for a in argv if a != "--all"]
    root = Path(args[0] if args else "src/newsclean")
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if not everything and rel.startswith(OTHERS):
            continue
        text = path.read_text("utf-8")
        lines = text.count("\n")
        if lines > MODULE_LINES:
            print(f"module   {lines:5d} lines  {root.name}/{rel}")
        if not everything and rel.startswith(OPTION_LISTS):
            continue
        for name, line, length in functions(ast.parse(text)):
            if length > FUNCTION_LINES:
                print(f"function {length:5d} lines  {root.name}/{rel}:{line} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
