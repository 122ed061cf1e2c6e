"""Text lines → rows of cells. Spreadsheet/docx rows already have cells and pass through.

A text line is split by tabs (PDF text), by `|` pipes (web tables), or left whole; lines that
hold one cell each (`cell |`, or short paragraphs between blank lines) are marked so that
`stream` can rebuild rows from them. Whitespace splitting happens later, only inside a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kpicheck import patterns
from kpicheck.models import SourceDocument

_ONLY_PIPES = patterns.compile(r"^[\s|]*$")


@dataclass(slots=True)  # thousands per document: slots make them cheaper to build and read
class Tok:
    text: str
    line: int | None
    column: int | None  # 1-based character column
    idx: int  # cell index in its row
    pos: object = None  # original Position for non-text formats


@dataclass(slots=True)
class Line:
    kind: str  # "row" (several cells), "cell" (one cell of a stream), "text", "blank", "pipes"
    cells: list[Tok] = field(default_factory=list)
    line: int | None = None
    raw: str = ""
    sep: str = ""  # "\t", "|", "" (how the cells were split)

    @property
    def nonblank(self) -> list[Tok]:
        return [c for c in self.cells if c.text.strip()]


def _split(text: str, sep: str, line_no: int) -> list[Tok]:
    cells, start, step = [], 1, len(sep)
    for i, part in enumerate(text.split(sep)):
        stripped = part.strip()
        if stripped is part:  # most cells: nothing around the text (strip returns the same string)
            cells.append(Tok(part, line_no, start, i))
        else:
            cells.append(Tok(stripped, line_no, start + len(part) - len(part.lstrip()), i))
        start += len(part) + step
    return cells


def text_line(raw: str, line_no: int) -> Line:
    stripped = raw.strip()
    if not stripped:
        return Line("blank", [], line_no, raw)
    if "\t" in raw:
        # trailing empty cells (a third of a PDF table's cells) carry nothing: not built at all
        return Line("row", _split(raw.rstrip(" \t\r\u3000"), "\t", line_no), line_no, raw, "\t")
    if "|" in stripped:
        if _ONLY_PIPES.match(stripped):
            return Line("pipes", [], line_no, raw, "|")
        cells = _split(raw, "|", line_no)
        if stripped.startswith("|"):
            cells = cells[1:]
        while cells and not cells[-1].text:
            cells.pop()
        for i, c in enumerate(cells):
            c.idx = i
        filled = [c for c in cells if c.text]
        if len(cells) == 1 or (len(filled) == 1 and stripped.endswith("|") and not stripped.startswith("|")
                               and cells[0].text):
            return Line("cell", filled[:1], line_no, raw, "|")
        return Line("row", cells, line_no, raw, "|")
    lead = len(raw) - len(raw.lstrip())
    return Line("text", [Tok(stripped, line_no, lead + 1, 0)], line_no, raw)


def document_lines(doc: SourceDocument) -> list[Line]:
    if doc.format == "text":
        source = doc.text if doc.text else "\n".join(r.cells[0].text if r.cells else "" for r in doc.rows)
        return [text_line(raw, n) for n, raw in enumerate(source.split("\n"), start=1)]
    out: list[Line] = []
    for r in doc.rows:
        # A merged area repeats its text in every cell; only its top-left cell carries it, as
        # in the printed table (otherwise one 一级 cell would become one indicator per row).
        toks = [Tok("" if c.merged else c.text.strip(), c.pos.line, c.pos.column, i, c.pos)
                for i, c in enumerate(r.cells)]
        filled = [t for t in toks if t.text]
        if not filled:
            out.append(Line("blank", [], r.pos.line))
        elif len(toks) == 1:
            out.append(text_line(toks[0].text, r.pos.line or 0) if "\t" in toks[0].text or "|" in toks[0].text
                       else Line("text", toks, r.pos.line, toks[0].text))
        else:
            out.append(Line("row", toks, r.pos.line, "", "cells"))
    return out


_WS = patterns.compile(r"[ \u3000]+")
SPACED_CELL = patterns.compile(r"[^ \u3000]+")  # a cell of a row whose cells are separated by spaces


def split_spaces(line: Line) -> Line:
    """A text line inside a table, cells separated by spaces (SPACE-ROW)."""
    if line.kind != "text" or not line.cells:
        return line
    tok = line.cells[0]
    if " " not in tok.text and "\u3000" not in tok.text:  # most prose lines: one cell
        return Line("row", [Tok(tok.text, tok.line, tok.column or 1, 0)], line.line, line.raw, " ")
    cells, idx = [], 0
    for m in SPACED_CELL.finditer(tok.text):
        cells.append(Tok(m.group(0), tok.line, (tok.column or 1) + m.start(), idx))
        idx += 1
    return Line("row", cells, line.line, line.raw, " ")
