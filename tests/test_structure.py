"""The shape of the package (issue 17): no import cycle, nothing imports the package __init__."""

from __future__ import annotations

import ast
from pathlib import Path

import framelab

SRC = Path(framelab.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """framelab modules imported by ``name`` anywhere in it (also inside functions), except in
    ``if TYPE_CHECKING:`` blocks, which never run.

    ``from framelab import _engine`` counts as importing ``framelab._engine``; ``from framelab
    import __version__`` as importing the package ``framelab``."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = [f"{mod}.{a.name}" for a in node.names]
            found.update(s for s in subs if s in modules)
            if mod in modules and not all(s in modules for s in subs):
                found.add(mod)
    found.discard(name)
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` outside ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if isinstance(test, ast.Name | ast.Attribute) and "TYPE_CHECKING" in ast.unparse(test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_gh17():
    assert _cycles(_graph()) == []


def test_nothing_inside_the_package_imports_its_init_gh17():
    importers = sorted(name for name, deps in _graph().items() if "framelab" in deps)
    assert importers == []


def test_readme_where_each_part_lives_names_existing_paths_gh17():
    import re

    repo = SRC.parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where each part lives", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    paths = [p for cell in first_cells for p in re.findall(r"`([^`]+)`", cell)]
    assert "src/framelab/schema.py" in paths and "tools/" in paths
    base = None
    for path in paths:
        if "/" in path and path.startswith(
            ("src/", "tools", "notebooks", "data", "tests", "bench")
        ):
            base = (repo / path).parent if path.endswith(".py") else repo / path
            assert (repo / path).exists(), path
        else:  # a sibling of the row's first path (`_version.py`, `codebooks/`) or a root file
            assert (base is not None and (base / path).exists()) or (repo / path).exists(), path
