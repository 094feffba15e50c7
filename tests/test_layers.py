"""Domains form layers without circles, and so do the modules inside each package.

The imports of ``src/rarex`` are read with :mod:`ast` (every ``import``, also those inside a
function: an import put off until call time is still a circle, only a hidden one).

Between domain packages (``rarex.screening``, ``rarex.eligibility``, ...):

- ``web`` and ``cli`` are the edge: they gather every domain's router and commands, and a
  domain's ``api.py``/``cli.py`` plug into them, so they are left out of the domain graph;
- a domain's ``models.py`` is its part of the one database schema: tables name each other's by
  foreign key and ``core.models`` gathers them all for Alembic, so importing another domain's
  tables is not counted; importing its behaviour (service, flows, views, ...) is.

Inside a package every import between its modules counts.

``KNOWN_CIRCLES`` lists the circles still being broken. Each entry must still be a circle
(:func:`test_known_circles_still_exist`), so the list cannot outlive the work that empties it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rarex"

#: Domain circles being broken elsewhere; remove an entry as soon as its circle is gone.
KNOWN_CIRCLES: set[frozenset[str]] = set()

EDGE_PACKAGES = frozenset({"web", "cli"})


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = ["rarex", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the rarex modules it imports (``from pkg import mod`` is an import of ``pkg.mod``)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None  # rarex.<domain>.<module>; package inits hold no code to speak of


def domain_graph(*, without: set[frozenset[str]] = frozenset()) -> dict[str, set[str]]:
    """Domain -> the domains whose behaviour it imports; ``without`` drops the edges inside each pair."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in _imports(_modules()).items():
        source = _domain(module)
        for target in targets:
            dest = _domain(target)
            if (source is None or dest is None or source == dest or {source, dest} & EDGE_PACKAGES
                    or target.endswith(".models") or frozenset({source, dest}) in without):
                continue
            graph[source].add(dest)
    return graph


def module_graphs() -> dict[str, dict[str, set[str]]]:
    """Package -> its modules' imports of each other."""
    packages: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, targets in _imports(_modules()).items():
        package = module.rsplit(".", 1)[0]
        for target in targets:
            if target.rsplit(".", 1)[0] == package:
                packages[package][module].add(target)
    return packages


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def test_no_circles_between_domains():
    circles = _circles(domain_graph(without=KNOWN_CIRCLES))
    assert not circles, "domains import each other in a circle: " + "; ".join(" <-> ".join(sorted(c)) for c in circles)


def test_no_circles_inside_a_package():
    circles = [c for graph in module_graphs().values() for c in _circles(graph)]
    assert not circles, "modules import each other in a circle: " + "; ".join(" <-> ".join(sorted(c)) for c in circles)


def test_known_circles_still_exist():
    graph = domain_graph()
    gone = [sorted(pair) for pair in KNOWN_CIRCLES
            if not all(_reaches(graph, a, b) for a, b in (sorted(pair), sorted(pair, reverse=True)))]
    assert not gone, f"no longer a circle, take it out of KNOWN_CIRCLES: {gone}"


def test_the_checker_finds_a_circle_and_a_clean_graph():
    """Both sides of the checker itself, on graphs small enough to read."""
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]
    assert _circles({"a": {"b"}, "b": {"c"}, "d": {"a"}}) == []
