"""The pages a citation comes from, as people read them: "p. 12", "pp. 12-13", "pp. 3-5, 9".

A citation from a PDF report carries "pages": [12, 13]; a text report's has none (absent or []),
and then there is no label.
"""
from __future__ import annotations

from typing import Any


def page_label(pages: Any) -> str:
    numbers = sorted({p for p in pages or [] if isinstance(p, int) and not isinstance(p, bool) and p > 0})
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    shown = ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
    return f"p. {shown}" if len(numbers) == 1 else f"pp. {shown}"
