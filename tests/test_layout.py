"""The package's layout follows the pipeline: read from the source's imports (every `import`
and `from ... import`, at the top of a module or inside a function), these tests hold the rules
the README's "How the code is laid out" states."""
from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import unallocated

PACKAGE = Path(unallocated.__file__).parent

#: The floors, bottom to top. A module may import its own floor and the floors below it, never
#: one above: so data flows upward and no two floors can form a cycle between them.
FLOORS = ["base", "sources", "model", "returns", "rounds", "analysis", "factcheck", "pages", "publish", "run"]
#: The small shared pieces every floor may use (the package's top-level modules).
BASE = {"paths", "errors", "schema", "display", "files", "hashing", "build"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The `unallocated.*` modules a file imports (a `from unallocated.x import y` names y's
    module when y is one, else x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "unallocated"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "unallocated":
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if _exists(sub) else module)
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        name = _module_name(path)
        graph[name] = {m for m in _imports(path) if m != name}
    return graph


def _floor(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in BASE:
        return "base"
    return parts[1]


GRAPH = _graph()


def test_every_module_is_on_a_floor():
    unplaced = sorted(m for m in GRAPH if _floor(m) not in FLOORS and m != "unallocated.__main__")
    assert not unplaced, f"modules on no floor of the pipeline (add them to FLOORS or BASE): {unplaced}"


def test_no_module_imports_a_floor_above_its_own():
    upward = []
    for module, deps in GRAPH.items():
        if module in ("unallocated", "unallocated.__main__"):
            continue  # the reporter's front door and `python -m`, both above everything
        mine = FLOORS.index(_floor(module))
        upward += [f"{module} imports {d} ({_floor(d)} is above {_floor(module)})"
                   for d in sorted(deps) if FLOORS.index(_floor(d)) > mine]
    assert not upward, "\n".join(upward)


def test_nothing_imports_from_run():
    importers = sorted(f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps
                       if _floor(d) == "run" and _floor(m) != "run" and m != "unallocated.__main__")
    assert not importers, "\n".join(importers)


def test_pages_and_analysis_never_import_the_factcheck_report_or_the_command_line():
    bad = sorted(f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps
                 if _floor(m) in ("pages", "analysis")
                 and (d.startswith("unallocated.factcheck.report") or d.startswith("unallocated.run")))
    assert not bad, "\n".join(bad)


def test_sources_import_nothing_of_the_investigation():
    bad = sorted(f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps
                 if _floor(m) == "sources" and _floor(d) not in ("base", "sources"))
    assert not bad, "\n".join(bad)


def test_no_import_cycles_between_modules():
    """Including imports inside functions: a lazy import that closes a cycle is a tangle too."""
    seen: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for dep in sorted(GRAPH.get(module, ())):
            if seen.get(dep) == 1:
                cycles.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif dep not in seen:
                visit(dep, path + [dep])
        seen[module] = 2

    for module in sorted(GRAPH):
        if module not in seen:
            visit(module, [module])
    # A package's __init__ re-exporting its own modules is not a cycle of the pipeline.
    cycles = [c for c in cycles if not _only_package_and_its_modules(c)]
    assert not cycles, "\n".join(cycles)


def _only_package_and_its_modules(cycle: str) -> bool:
    names = cycle.split(" -> ")
    packages = [n for n in names if (PACKAGE / Path(*n.split(".")[1:]) / "__init__.py").is_file()]
    return bool(packages) and all(any(n == p or n.startswith(p + ".") for p in packages) for n in names)


def test_the_checker_sees_an_upward_import_and_a_cycle():
    """The rules above can fail: a planted upward import and a planted cycle are both seen."""
    saved = dict(GRAPH)
    try:
        GRAPH["unallocated.sources.councils"] = saved["unallocated.sources.councils"] | {"unallocated.run.reproduce"}
        with pytest.raises(AssertionError, match="sources.councils imports unallocated.run.reproduce"):
            test_no_module_imports_a_floor_above_its_own()
        GRAPH["unallocated.errors"] = saved["unallocated.errors"] | {"unallocated.paths"}
        GRAPH["unallocated.paths"] = saved["unallocated.paths"] | {"unallocated.errors"}
        with pytest.raises(AssertionError, match="unallocated.errors -> unallocated.paths -> unallocated.errors"):
            test_no_import_cycles_between_modules()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


def test_the_reporters_face_is_small_and_listed_first():
    code = "import unallocated; print(sorted(n for n in dir(unallocated) if not n.startswith('_')))"
    public = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert public.strip() == str(sorted(unallocated.__all__)), "import unallocated offers more than the reporter's functions"
    text = subprocess.run([sys.executable, "-c", "import unallocated; help(unallocated)"], capture_output=True,
                          text=True, check=True, env={"PAGER": "cat", "PATH": ""}).stdout
    first = min(text.index(f"unallocated.{n}(") for n in unallocated.__all__)
    assert first < text.index("FUNCTIONS")


@pytest.mark.parametrize("old, new", sorted(unallocated._MOVED.items()))
def test_an_old_import_path_still_works_and_says_where_it_moved(old, new):
    import importlib

    sys.modules.pop(f"unallocated.{old}", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"unallocated.{old}")
    assert module is importlib.import_module(f"unallocated.{new}")
    assert module.__spec__.name == f"unallocated.{new}"
    assert any(f"unallocated.{new}" in str(w.message) and w.category is DeprecationWarning for w in caught)


def test_the_old_factcheck_and_analysis_names_still_work():
    from unallocated import analysis, factcheck
    from unallocated.analysis import tables
    from unallocated.factcheck import report

    assert analysis.headline is tables.headline
    with pytest.warns(DeprecationWarning, match="unallocated.factcheck.report.summary"):
        assert factcheck.summary is report.summary
