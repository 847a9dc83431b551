"""The import direction the README's architecture picture declares, enforced.

Every import counts: at module level, inside a function (a deferred import is still a
dependency) and under `TYPE_CHECKING`. A package may import only packages on a lower
layer; packages on one layer do not import each other. No module cycles anywhere.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom. A package imports only what sits below it.
LAYERS: list[set[str]] = [
    {"cli"},
    {"bench", "simulators"},
    {"app"},
    {"api"},
    {"telemetry", "adapters"},
    {"notifications"},  # reads the log and the saga checkpoints, like a process manager
    {"projections", "queries", "commands", "integration"},
    {"eventstore"},
    {"config"},
    {"domain"},
]
RANK = {package: depth for depth, layer in enumerate(LAYERS) for package in layer}


def modules() -> dict[str, Path]:
    found = {}
    for package in RANK:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import of one of our modules in `path`."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield name, node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        edges[name].update(target for target, _ in imports_of(path, known) if target != name)
    return edges


def test_every_import_points_down_the_layers() -> None:
    known = modules()
    wrong = set()
    for name, path in known.items():
        source = name.split(".")[0]
        for target, line in imports_of(path, known):
            dest = target.split(".")[0]
            if dest != source and RANK[dest] <= RANK[source]:
                wrong.add(f"{path.relative_to(ROOT)}:{line}: {source} -> {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_no_module_imports_itself_through_others() -> None:
    cycles = [cycle for cycle in strongly_connected(graph()) if len(cycle) > 1]
    assert not cycles, f"module cycles: {cycles}"


def test_every_package_of_the_distribution_has_a_layer() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(RANK)


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups
