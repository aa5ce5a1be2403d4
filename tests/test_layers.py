"""The layers import downward only, and no module imports itself back through others.

    index/text  <  index/errors, config, summary  <  index/store, index/encode  <  index/answer
      <  index/engine  <  ingest  <  eval  <  eval/bench  <  bot/render  <  bot/state  <  bot/slack  <  bot/cli

A module belongs to the layer of the longest prefix below that names it (`index.store.lexical`
is `index.store`; `index.engine` falls back to `index`).

Every import is read with `ast`, those inside functions too (a lazy import is still a
dependency). A failure names both files.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "ingest", "eval", "bot")
LAYER = {"index.text": 0,
         "index.errors": 1, "index.config": 1, "index.summary": 1,
         "index.store": 2, "index.encode": 2,
         "index.answer": 3,
         "index": 4,
         "ingest": 5,
         "eval": 6, "eval.bench": 7,
         "bot.render": 8, "bot.state": 9, "bot.slack": 10, "bot": 11}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> int:
    head = module
    while head not in LAYER:
        head = head.rpartition(".")[0]
    return LAYER[head]


def project_imports(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """{module: {imported project module: line}} for every module of the four packages."""
    modules = {_module_name(p): p for pkg in PACKAGES for p in (root / pkg).rglob("*.py")}
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        deps: dict[str, int] = {}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t.split(".")[0] in PACKAGES and t != name:
                    deps.setdefault(t, node.lineno)
        graph[name] = deps
    return graph


def _file(module: str) -> str:
    path = ROOT / Path(*module.split("."))
    return str((path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).relative_to(ROOT))


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    return [f"{_file(a)}:{line} imports {_file(b)}, a higher layer" for a, deps in graph.items()
            for b, line in deps.items() if _layer(b) > _layer(a)]


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_layers_import_downward_only():
    problems = upward_imports(project_imports())
    assert not problems, "\n".join(problems)


def test_no_import_cycles():
    graph = project_imports()
    described = []
    for group in cycles(graph):
        edges = [f"{_file(a)}:{graph[a][b]} imports {_file(b)}" for a in group for b in graph[a] if b in group]
        described.append("cycle: " + "; ".join(edges))
    assert not described, "\n".join(described)


def test_the_check_catches_an_upward_import_and_a_cycle(tmp_path):
    """The test above can fail: a tree with index importing bot, and two modules importing each other."""
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "index" / "text").mkdir()
    (tmp_path / "index" / "text" / "__init__.py").write_text("")
    (tmp_path / "index" / "engine.py").write_text("def f():\n    from bot.cli import main\n")
    (tmp_path / "bot" / "cli.py").write_text("main = 1\n")
    (tmp_path / "eval" / "a.py").write_text("from eval import b\n")
    (tmp_path / "eval" / "b.py").write_text("import eval.a\n")
    (tmp_path / "index" / "text" / "words.py").write_text("from index import engine\n")
    (tmp_path / "index" / "store").mkdir()
    (tmp_path / "index" / "store" / "__init__.py").write_text("")
    (tmp_path / "index" / "store" / "lexical.py").write_text("from index.answer.judge import x\n")
    (tmp_path / "index" / "answer").mkdir()
    (tmp_path / "index" / "answer" / "__init__.py").write_text("")
    (tmp_path / "index" / "answer" / "judge.py").write_text("x = 1\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        graph = project_imports(tmp_path)
        ups = upward_imports(graph)
        assert any("index/engine.py:2 imports bot/cli.py" in u for u in ups), ups
        assert any("index/text/words.py:1 imports index/engine.py" in u for u in ups), ups
        assert any("index/store/lexical.py:1 imports index/answer/judge.py" in u for u in ups), ups
        assert cycles(graph) == [["eval.a", "eval.b"]]
    finally:
        ROOT = saved
