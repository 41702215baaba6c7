"""The layers, enforced: nothing imports upward and no two modules import each other (even lazily).

core  <-  extractors, checks, grading  <-  pipeline  <-  flows  <-  web  <-  commands (the CLI)

Every `import` anywhere in a module counts, also one inside a function: a lazy import hides a cycle from
the interpreter, not from the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# what each top-level package may import of ours (itself included)
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "extractors": {"core", "extractors"},
    "checks": {"core", "checks"},
    "grading": {"core", "grading"},
    "pipeline": {"core", "extractors", "checks", "grading", "pipeline"},
    "flows": {"core", "extractors", "checks", "grading", "pipeline", "flows"},
    "web": {"core", "extractors", "checks", "grading", "pipeline", "flows", "web"},
    "commands": {"core", "extractors", "checks", "grading", "pipeline", "flows", "web", "commands"},
}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of our packages under `root`."""
    found: dict[str, Path] = {}
    for package in ALLOWED:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ours that `name` imports; `from a import b` counts as a.b when b is a module."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in out if m.split(".")[0] in ALLOWED and m != name}


def graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} imports {b}" for a, deps in g.items() for b in deps
                  if b.split(".")[0] not in ALLOWED[a.split(".")[0]])


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start] & g.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(g[w] & g.keys()))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_nothing_imports_upward() -> None:
    assert upward_imports(graph(REPO)) == []


def test_no_import_cycles() -> None:
    assert cycles(graph(REPO)) == []


def test_the_checker_sees_an_upward_import_and_a_cycle(tmp_path: Path) -> None:
    """The two tests above can fail: a planted violation of each kind is reported."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "core" / "codes.py").write_text("def f():\n    from pipeline.store import Store\n")
    (tmp_path / "extractors").mkdir()
    (tmp_path / "extractors" / "__init__.py").write_text("from . import pdf\n")
    (tmp_path / "extractors" / "pdf.py").write_text("from .workers import run\n")
    (tmp_path / "extractors" / "workers.py").write_text("def run():\n    from .pdf import x\n")
    (tmp_path / "pipeline" / "store").mkdir(parents=True)
    (tmp_path / "pipeline" / "__init__.py").write_text("")
    (tmp_path / "pipeline" / "store" / "__init__.py").write_text("import core\n")
    g = graph(tmp_path)
    assert upward_imports(g) == ["core.codes imports pipeline.store"]
    assert cycles(g) == [["extractors.pdf", "extractors.workers"]]


def environment_reads(root: Path, packages: tuple[str, ...]) -> list[str]:
    """`os.environ` / `os.getenv` in the given packages: their configuration is passed in (Settings)."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_logic_reads_no_environment() -> None:
    assert environment_reads(REPO, ("extractors", "checks", "grading")) == []
