"""No import circle among Caseport's own modules (issue 10): each module's module-level imports form a DAG.

The walk reads the source (no import side effects): `import a.b`, `from a import b` (an edge to the
submodule `a.b` when it is one, else to the package `a`), relative imports resolved. Imports inside
functions and under `if TYPE_CHECKING:` are not module-level and do not count. A module importing
its own package (`from . import bp` in a view module that the package's `__init__` registers at its
end, Flask's "larger applications" pattern) is not an edge: Python runs the package first, always.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal_app", "blueprints", "forms")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            found[_module_name(path, root)] = path
    return found


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module is imported (also inside top-level if/try)."""
    found, pending = [], list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending[:0] = node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending[:0] = node.body + node.orelse + node.finalbody + [n for h in node.handlers for n in h.body]
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of our packages it imports at module level."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]
            edges.update(t for t in targets if t in modules and t != name and not name.startswith(t + "."))
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

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
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, pending = set(), [start]
    while pending:
        for nxt in graph[pending.pop()] - seen:
            seen.add(nxt)
            pending.append(nxt)
    return seen


def test_no_import_cycle_among_our_modules():
    graph = import_graph()
    assert "portal_app.outbox" in graph and len(graph) > 50
    assert find_cycles(graph) == []


def test_the_worker_imports_the_domains_and_no_domain_imports_the_worker():
    graph = import_graph()
    assert {"portal_app.outbox", "portal_app.messaging.services", "portal_app.audit"} <= graph["portal_app.worker"]
    assert "portal_app.messaging.services" not in _reachable(graph, "portal_app.outbox")
    assert not [name for name, edges in graph.items() if "portal_app.worker" in edges]


def test_the_walk_finds_a_cycle(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "portal_app" / "a.py").write_text("from . import b\n")
    (tmp_path / "portal_app" / "b.py").write_text("from .c import thing\n")
    (tmp_path / "portal_app" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n\ndef f():\n    from . import a\n")
    graph = import_graph(tmp_path)
    assert graph["portal_app.a"] == {"portal_app.b"} and find_cycles(graph) == []
    (tmp_path / "portal_app" / "pkg").mkdir()
    (tmp_path / "portal_app" / "pkg" / "__init__.py").write_text("bp = 1\nfrom . import views\n")
    (tmp_path / "portal_app" / "pkg" / "views.py").write_text("from . import bp\n")
    graph = import_graph(tmp_path)
    assert graph["portal_app.pkg"] == {"portal_app.pkg.views"} and graph["portal_app.pkg.views"] == set()
    (tmp_path / "portal_app" / "c.py").write_text("import portal_app.a\n")
    assert find_cycles(import_graph(tmp_path)) == [["portal_app.a", "portal_app.b", "portal_app.c"]]
