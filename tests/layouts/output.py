"""The document model of a rendered layout (free lines and grids of cells) and its printing: as
text with one separator kind, or as an .xlsx / .docx with merged cells."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from .kinds import CELL_SEPARATORS


@dataclass
class Row:
    cells: list[str]
    kind: str  # meta, head, head_top, head_bottom, data, head_data, junk
    roles: list[str] = field(default_factory=list)
    interleave: bool = False  # cells holding "\n" print side by side over several lines (a wrapped header)


@dataclass
class Grid:
    rows: list[Row]
    label_cols: tuple[int, ...] = ()  # a blank data cell here continues the cell above (merged)


@dataclass
class Text:
    text: str


Item = Union[Grid, Text]


# ---------------------------------------------------------------- text

def to_text(items: list[Item], separator: str, rng: random.Random) -> str:
    """The document printed with one separator kind."""
    if separator == "prose":
        return "\n".join(it.text for it in items if isinstance(it, Text)) + "\n"
    gap = " " * (1 if rng.random() < 0.6 else 2)
    lines: list[str] = []
    for it in items:
        if isinstance(it, Text):
            lines.append(it.text)
            if separator == "paragraph":
                lines.append("")
            continue
        for row in it.rows:
            if separator in CELL_SEPARATORS:
                lines += _cell_lines(row, separator)
            else:
                lines += _row_lines(row, separator, gap)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _joiner(separator: str, gap: str):
    keep_blank = separator in ("tab", "pipe")

    def join(cells: list[str]) -> str:
        cells = cells if keep_blank else [c for c in cells if c.strip()]
        if separator == "tab":
            return "\t".join(cells)
        if separator == "pipe":
            return "| " + " | ".join(cells) + " |"
        if separator == "pipe_shift":
            return "|" + "|".join(cells) + "|" if cells else "|"
        if separator == "spaces":
            return gap.join(cells)
        return "".join(cells)  # none

    return join


def _row_lines(row: Row, separator: str, gap: str) -> list[str]:
    join = _joiner(separator, gap)
    if row.interleave:  # a wrapped header: the cells' first lines side by side, then the rest
        parts = [c.split("\n") for c in row.cells]
        depth = max(len(p) for p in parts)
        return [join([p[j] if j < len(p) else "" for p in parts]) for j in range(depth)]
    return join(row.cells).split("\n")


def _cell_lines(row: Row, separator: str) -> list[str]:
    cells = [c for c in row.cells if c.strip()]
    if separator == "line":
        return [line for c in cells for line in c.split("\n")]
    if separator == "paragraph":
        return [line for c in cells for line in c.split("\n") + [""]]
    # line_pipe: a "|" line opens the row, each cell ends " |", the row's blank cells close it
    blanks = len(row.cells) - len(cells)
    return ["|"] + [c + " |" for c in cells] + ["|" * (blanks + 1)]


# ---------------------------------------------------------------- files


def _cell_value(text: str, row: Row):
    """What a spreadsheet would hold: a number where the text is exactly one."""
    if row.kind in ("data", "junk", "meta") and re.fullmatch(r"\d+(?:\.\d*[1-9])?", text) and not text.startswith("0"):
        return float(text) if "." in text else int(text)
    return text


def _merges(grid: Grid) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right), 0-based within the grid: label cells down over the blank
    cells of their group; the upper header row across its group, and down where the lower row
    is blank."""
    out = []
    rows = grid.rows
    for col in grid.label_cols:
        top = None
        for r, row in enumerate(rows + [Row([], "end")]):
            blank = row.kind == "data" and col < len(row.cells) and not row.cells[col].strip()
            if blank and top is not None:
                continue
            if top is not None and r - 1 > top:
                out.append((top, col, r - 1, col))
            top = r if row.kind == "data" and col < len(row.cells) and row.cells[col].strip() else None
    for r, row in enumerate(rows):
        if row.kind != "head_top" or r + 1 >= len(rows):
            continue
        below = rows[r + 1].cells
        c = 0
        while c < len(row.cells):
            if not below[c].strip():  # a column's own word over both rows
                out.append((r, c, r + 1, c))
                c += 1
                continue
            end = c
            while end + 1 < len(row.cells) and not row.cells[end + 1].strip() and below[end + 1].strip():
                end += 1
            if end > c:
                out.append((r, c, r, end))
            c = end + 1
    return out


def write_xlsx(items: list[Item], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    r0 = 1
    for it in items:
        if isinstance(it, Text):
            ws.cell(row=r0, column=1, value=it.text)
            r0 += 1
            continue
        for i, row in enumerate(it.rows):
            for c, text in enumerate(row.cells):
                cell = ws.cell(row=r0 + i, column=c + 1, value=_cell_value(text, row) if text else None)
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # "=100%" is text, not a formula
        for top, left, bottom, right in _merges(it):
            ws.merge_cells(start_row=r0 + top, start_column=left + 1, end_row=r0 + bottom, end_column=right + 1)
        r0 += len(it.rows)
    wb.save(path)


def write_docx(items: list[Item], path: Path) -> None:
    import docx

    document = docx.Document()
    for it in items:
        if isinstance(it, Text):
            document.add_paragraph(it.text)
            continue
        width = max(len(r.cells) for r in it.rows)
        table = document.add_table(rows=len(it.rows), cols=width)
        for row, cells in zip(table.rows, (r.cells for r in it.rows)):
            row_cells = row.cells  # one row at a time: table.cell() walks the whole table
            for c, text in enumerate(cells):
                if text:
                    row_cells[c].text = text
        for top, left, bottom, right in _merges(it):
            table.cell(top, left).merge(table.cell(bottom, right))
    document.save(path)
