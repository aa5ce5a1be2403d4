"""The Slack modules import downward only: start-up -> wiring -> the bot's behaviour -> policy,
stream, messages, client. Nothing imports the wiring or the start-up back, and there is no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
TOP = {"slack_start": set(), "slack_wiring": {"slack_start"}}  # module -> the only bot modules that may import it


def bot_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            names.add(node.module.removeprefix("bot."))
        elif isinstance(node, ast.Import):
            names |= {a.name.removeprefix("bot.") for a in node.names if a.name.startswith("bot.")}
    return names


def graph() -> dict[str, set[str]]:
    return {path.stem: bot_imports(path) for path in BOT.glob("*.py") if path.stem not in ("__init__", "cli")}


def test_nothing_imports_the_wiring_or_the_start_up_back():
    for module, imports in graph().items():
        for top, allowed in TOP.items():
            assert top not in imports or module in allowed, f"bot/{module}.py imports bot/{top}.py"


def test_no_import_cycle_among_the_bot_modules():
    edges = graph()

    def visit(module: str, path: list[str]) -> None:
        for name in edges.get(module, ()):
            assert name not in path, "import cycle: " + " -> ".join(f"bot/{m}.py" for m in path + [name])
            visit(name, path + [name])

    for module in edges:
        visit(module, [module])
