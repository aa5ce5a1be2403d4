"""The Slack modules import downward only: start-up -> wiring -> the bot's behaviour -> policy,
stream, messages, client. Nothing imports the wiring or the start-up back, and there is no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

SLACK = Path(__file__).resolve().parents[3] / "bot" / "slack"
TOP = {"start": set(), "wiring": {"start"}}  # module -> the only bot/slack modules that may import it


def slack_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot.slack."):
            names.add(node.module.removeprefix("bot.slack."))
        elif isinstance(node, ast.Import):
            names |= {a.name.removeprefix("bot.slack.") for a in node.names if a.name.startswith("bot.slack.")}
    return names


def graph() -> dict[str, set[str]]:
    return {path.stem: slack_imports(path) for path in SLACK.glob("*.py") if path.stem != "__init__"}


def test_nothing_imports_the_wiring_or_the_start_up_back():
    for module, imports in graph().items():
        for top, allowed in TOP.items():
            assert top not in imports or module in allowed, f"bot/slack/{module}.py imports bot/slack/{top}.py"


def test_no_import_cycle_among_the_slack_modules():
    edges = graph()
    assert "wiring" in edges["start"] and "bot" in edges["wiring"], edges   # the check reads real imports

    def visit(module: str, path: list[str]) -> None:
        for name in edges.get(module, ()):
            assert name not in path, "import cycle: " + " -> ".join(f"bot/slack/{m}.py" for m in path + [name])
            visit(name, path + [name])

    for module in edges:
        visit(module, [module])
