"""The plan of the house: no import cycles, every arrow pointing down the order of rooms, fakeqb and syncer apart.

Every import counts: at module level, under TYPE_CHECKING and inside functions. A module belongs to the room with the
longest prefix of its name; within a room, modules may import each other as long as no cycle forms.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each package's rooms, lowest first.
ROOMS: dict[str, list[tuple[str, ...]]] = {
    "fakeqb": [
        ("fakeqb.qbxml",),
        ("fakeqb.company",),
        ("fakeqb.com",),
        ("fakeqb.seed",),
        ("fakeqb.control",),
        ("fakeqb.http",),
        ("fakeqb.webconnector",),
        # the tools, the facade, and the import paths of earlier releases
        ("fakeqb.quickbooks", "fakeqb.mock", "fakeqb.pytest_plugin", "fakeqb.cli", "fakeqb.bench", "fakeqb.__main__",
         "fakeqb.transport", "fakeqb.server",
         "fakeqb.control_client", "fakeqb.control_http", "fakeqb"),
    ],
    "syncer": [
        ("syncer.errors", "syncer.hresults", "syncer.kinds"),
        ("syncer.qbxml",),
        ("syncer.transport", "syncer.remote"),
        ("syncer.app",),
        ("syncer.engine",),
        ("syncer.cli", "syncer.__main__", "syncer"),
    ],
}


def modules(package: str, root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(package: str, root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of `package` and of other top-level packages it imports (a name imported from a package
    counts as the submodule when it is one)."""
    known = modules(package, root)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    base = ".".join([*parent[:len(parent) - node.level + 1], *([base] if base else [])])
                targets.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
        graph[name] = set()
        for target in targets:
            while target.rpartition(".")[0] and target not in known:
                target = target.rpartition(".")[0]
            if target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                found.append(sorted([v, *component]))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def room_of(package: str, module: str, rooms: dict[str, list[tuple[str, ...]]] = ROOMS) -> int:
    matches = [(len(prefix), i) for i, room in enumerate(rooms[package]) for prefix in room
               if module == prefix or module.startswith(prefix + ".")]
    assert matches, f"{module} is in no room of {package}: add it to ROOMS"
    return max(matches)[1]


@pytest.mark.parametrize("package", sorted(ROOMS))
def test_no_import_cycles(package: str) -> None:
    assert cycles(imports(package)) == []


@pytest.mark.parametrize("package", sorted(ROOMS))
def test_arrows_point_down_the_rooms(package: str) -> None:
    assert upward(package, imports(package)) == []


def upward(package: str, graph: dict[str, set[str]], rooms: dict[str, list[tuple[str, ...]]] = ROOMS) -> list[str]:
    return [f"{module} -> {target}" for module, targets in sorted(graph.items()) for target in targets
            if target.split(".")[0] == package and room_of(package, target, rooms) > room_of(package, module, rooms)]


@pytest.mark.parametrize("package, other", [("fakeqb", "syncer"), ("syncer", "fakeqb")])
def test_fakeqb_and_syncer_meet_only_at_the_request_processor_surface(package: str, other: str) -> None:
    crossing = [module for module, targets in imports(package).items() if any(t.split(".")[0] == other
                                                                              for t in targets)]
    assert crossing == []


def test_the_checks_see_cycles_through_type_checking_and_functions_and_upward_arrows(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.low.b import B\n",
        "pkg/low/b.py": "def f():\n    from . import a\n",
        "pkg/high.py": "import pkg.low.a\n",
        "pkg/low/c.py": "from pkg import high\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = imports("pkg", tmp_path)
    assert graph["pkg.low.a"] == {"pkg.low.b", "typing"} and graph["pkg.low.b"] == {"pkg.low.a"}
    assert cycles(graph) == [["pkg.low.a", "pkg.low.b"]]
    rooms = {"pkg": [("pkg.low",), ("pkg.high", "pkg")]}
    assert upward("pkg", graph, rooms) == ["pkg.low.c -> pkg.high"]
