"""Check that imports point one way and never go round in a circle.

    cli -> runtime -> stages -> text, record (and errors, memo, schema)

and, among the stages, a stage imports only the ones before it in the chain
(extract, strip, split, names, lang; the line model both strip and split run on comes
between extract and strip, and reads strip.rules and split.parse). Every import counts,
function-level ones too (a lazy import is still a dependency); ``if TYPE_CHECKING:`` blocks do not.
Prints each violation and each cycle; exits 1 if there is any.

    python scripts/imports.py [src/newsclean]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

#: top-level part of the package -> layer (a module may import its own layer or lower)
LAYERS = {"cli": 3, "runtime": 2, "stages": 1, "text": 0}
#: modules at the root of the package
ROOT_LAYER = {
    "record": 0,
    "errors": 0,
    "memo": 0,
    "schema": 0,
    "api": 3,
    "__main__": 3,
    "__init__": 3,
}
STAGE_ORDER = ["base", "extract", "lines", "strip", "split", "names", "lang", "chain"]
#: modules of strip and split that the line model (``stages/lines``, which both stages run
#: on) reads: the rules engine and the field parsers rank just before it
READ_BY_LINES = {"strip.rules", "split.parse"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(tree: ast.AST, package: str) -> set[str]:
    """The newsclean modules (or packages) an import names; ``from pkg import mod``
    names ``pkg`` and ``pkg.mod``: :func:`graph` keeps ``pkg.mod`` when it is a module."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base + ":")  # the package itself, unless all the names are modules
            found.update(f"{base}.{a.name}" for a in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return {name for name in found if name.split(".")[0].rstrip(":") == "newsclean"}


def layer(module: str) -> tuple[int, float]:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    rank = LAYERS.get(top, ROOT_LAYER.get(top, 3))
    if top != "stages" or len(parts) <= 2:
        return rank, -1
    if ".".join(parts[2:4]) in READ_BY_LINES:
        return rank, STAGE_ORDER.index("lines") - 0.5
    return rank, STAGE_ORDER.index(parts[2])


def graph(root: Path) -> dict[str, set[str]]:
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = imports_of(ast.parse(path.read_text("utf-8")), package)
        found = {t for t in targets if t in modules}
        for target in targets:
            if target.endswith(":"):
                base = target[:-1]
                named = {
                    t
                    for t in targets
                    if t.startswith(base + ".")
                    and not t.endswith(":")
                    and t.count(".") == base.count(".") + 1
                }
                if base in modules and not named <= found:
                    found.add(base)
        found.discard(name)
        edges[name] = found
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def _is_package_parent(source: str, target: str) -> bool:
    # a package's __init__ re-exporting its own modules is not an upward arrow
    return target.startswith(source + ".")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "src/newsclean")
    edges = graph(root)
    problems = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if _is_package_parent(source, target):
                continue
            (s_rank, s_stage), (t_rank, t_stage) = layer(source), layer(target)
            if t_rank > s_rank:
                problems.append(f"upward import: {source} -> {target}")
            elif s_rank == t_rank == 1 and s_stage >= 0 and t_stage > s_stage:
                problems.append(f"upstream stage imports a downstream one: {source} -> {target}")
    problems += [f"import cycle: {' <-> '.join(c)}" for c in cycles(edges)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
