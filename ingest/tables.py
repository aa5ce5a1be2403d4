"""A table row read as one line of text, with its labels, when its cells are short.

Why: government forms and summary tables print a field's label and its value in cells side by
side ("Signed by the responsible Minister" | "Date:" | "21/05.2024"), an infobox prints
"Capital" | "Wellington", a summary table prints a row of headers over a row of figures. Read
cell by cell, each cell is a passage of its own that answers nothing ("Date:", "-£167.5m");
read as a row, "Signed by the responsible Minister; Date: 21/05.2024" and "Total Net Present
Social Value: -£167.5m; Business Net Present Value: -£167.5m" say what they mean. A row with a
long cell or a cell of several paragraphs (a table used for layout, a block of form fields) is
left cell by cell.

Readers (ingest/html.py, ingest/docx.py) give each row's cells as `Cell`s and put the text
`row_joins` returns before each cell; the markers inside cells stay where the reader puts them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SHORT_CELL_WORDS = 25            # a cell longer than this is prose: its row stays cell by cell
_FIGURE = re.compile(r"^[-–−+(]*\s*[£$€¥]?\s*[-–−]?\d[\d.,/ ]*\s*"
                     r"(?:%|[kmb]n?|bn|million|billion|thousand)?\)?\.?$", re.I)


@dataclass
class Cell:
    text: str                    # the cell's visible text, white space folded
    header: bool = False         # a header cell (HTML <th>, a Word header row)
    span: int = 1                # columns it covers (colspan, w:gridSpan)
    down: int = 1                # rows it covers (rowspan, w:vMerge)
    lines: int = 1               # its paragraphs with text: a cell of several is a block of lines


def _is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.strip()))


def _is_label(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", text)) and not _is_figure(text)


def _short(row: list[Cell]) -> bool:
    filled = [c for c in row if c.text]
    return len(filled) >= 2 and all(len(c.text.split()) <= SHORT_CELL_WORDS and c.lines <= 1 for c in filled)


def _columns(rows: list[list[Cell]]) -> list[list[int]]:
    """The first column of each cell, with the columns that cells spanning down from the rows
    above take (an HTML table's layout, as a browser lays it out)."""
    taken: dict[int, int] = {}                            # column -> rows it is still taken for
    out: list[list[int]] = []
    for row in rows:
        col, starts = 0, []
        for cell in row:
            while taken.get(col, 0) > 0:
                col += 1
            starts.append(col)
            for c in range(col, col + max(1, cell.span)):
                taken[c] = max(1, cell.down)
            col += max(1, cell.span)
        taken = {c: n - 1 for c, n in taken.items() if n > 1}
        out.append(starts)
    return out


def _labels(row: list[Cell], starts: list[int]) -> dict[int, str]:
    return {c: cell.text.strip().rstrip(":").strip() for cell, s in zip(row, starts)
            for c in range(s, s + max(1, cell.span)) if cell.text}


def _headers(rows: list[list[Cell]]) -> list[dict[int, str] | None]:
    """Each row's column labels, by column, or None: a row of header cells (<th>, a Word header
    row) over the rows under it, or a row of labels right above a row of figures (a row label
    may start it), kept over the figure rows that follow. A row with a header cell beside a value
    ("Capital" | "Wellington") is a field, not labels for the row below."""
    columns = _columns(rows)
    out: list[dict[int, str] | None] = []
    labels: dict[int, str] | None = None
    from_header = False
    for i, row in enumerate(rows):
        filled = [c for c in row if c.text]
        if len(filled) >= 2 and all(c.header for c in filled):
            out.append(None)                              # a header row is itself read as a list
            labels, from_header = _labels(row, columns[i]), True
            continue
        values = [c for j, c in enumerate(row) if c.text and not (j == 0 and _is_label(c.text))]
        figures = bool(values) and all(_is_figure(c.text) for c in values)
        prev = rows[i - 1] if i else None
        if (figures and prev is not None and sum(bool(c.text) for c in prev) >= 2
                and not any(c.header for c in prev) and all(_is_label(c.text) for c in prev if c.text)):
            labels, from_header = _labels(prev, columns[i - 1]), False   # labels over figures
        elif labels is not None and not (filled and (from_header or figures)):
            labels = None
        rowlabel = not from_header and bool(row) and _is_label(row[0].text)   # "Low" before its figures
        cols = columns[i][1:] if rowlabel else columns[i]
        under = labels is not None and all(s in labels for c, s in zip(row, columns[i]) if c.text and not c.header
                                           and not (rowlabel and s == columns[i][0]))
        out.append({s: labels[s] for s in cols if s in labels} if under and labels is not None else None)
    return out


def row_joins(rows: list[list[Cell]]) -> list[list[str] | None]:
    """For each row: the text to put before each of its cells so the row reads as one line
    ("" before the first; "; " between fields; " " after a label ending in ":"; "Label: "
    before a value under a column label; ": " after a header cell beside a value), or None
    when the row stays cell by cell (one cell filled, a cell of prose, a cell of several lines
    such as a form's block of "Title: …" / "Date: …" fields, read line by line as before)."""
    out: list[list[str] | None] = []
    columns = _columns(rows)
    for row, starts, labels in zip(rows, columns, _headers(rows)):
        if not _short(row):
            out.append(None)
            continue
        joins: list[str] = []
        before: Cell | None = None
        for cell, start in zip(row, starts):
            if not cell.text:
                joins.append("")
                continue
            label = labels.get(start, "") if labels is not None and not cell.header else ""
            if before is None:
                sep = ""
            elif before.text.endswith(":"):
                sep = " "
            elif before.header and not cell.header and not label:
                sep = ": "
            else:
                sep = "; "
            joins.append(sep + (f"{label}: " if label and label != cell.text else ""))
            before = cell
        out.append(joins)
    return out
