"""PDF files with a text layer: ruled tables per page, plus the page text outside them.

On each page pdfplumber finds the ruled tables; every table row becomes a row of cells
(positions page/table/row/col, tables numbered through the document), and the text lines
outside the tables become one-cell rows (positions page/line), all in reading order from the
top of the page. A page without tables is its text, one row per line. Merged table cells are
expanded over their area like the xlsx/docx readers do (copies marked `merged`), and a cell's
text wrapped over several lines is joined back.
A PDF with no text layer at all (a scan) is refused with a clear message rather than read as empty.
"""
from __future__ import annotations

from pathlib import Path

from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError, one_line
from kpicheck.read.rows import build_document, clean_cell_text
from kpicheck.read.safety import read_head, require

MAX_PAGES = 500


def read_pdf(path: Path) -> SourceDocument:
    _, head = read_head(path)
    if b"%PDF-" not in head[:1024]:
        raise ReadError("corrupt", "PDF 文件已损坏或不是 PDF 文件（缺少 %PDF 文件头）")
    pdfplumber = require("pdfplumber")
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types
        raise _open_error(exc) from exc
    try:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise ReadError("too-large", f"PDF 共 {len(pages)} 页，超过上限 {MAX_PAGES} 页")
        rows: list[Row] = []
        table_no = 0
        any_text = False
        for page_no, page in enumerate(pages, start=1):
            page_rows, table_no, has_text = _page_rows(page, page_no, table_no)
            rows.extend(page_rows)
            any_text = any_text or has_text
            page.close()  # frees the page's parsed objects
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _open_error(exc) from exc
    finally:
        pdf.close()
    if not any_text:
        raise ReadError("no-text", "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再检查")
    return build_document(str(path), "pdf", rows)


def _open_error(exc: Exception) -> ReadError:
    """Encrypted (a password is needed) or corrupt, from whatever pdfminer raised."""
    chain = [exc, *(a for a in getattr(exc, "args", ()) if isinstance(a, BaseException))]
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        chain.append(cause)
    names = " ".join(type(e).__name__ for e in chain)
    if "Password" in names or "Encrypt" in names:
        return ReadError("encrypted", "PDF 文件已加密（需要打开密码），请去掉密码后再检查")
    return ReadError("corrupt", f"PDF 文件已损坏，无法读取: {type(exc).__name__}: {one_line(exc)}")


def _page_rows(page, page_no: int, table_no: int) -> tuple[list[Row], int, bool]:
    """Rows of one page in reading order, the last table number used, whether it had text."""
    has_text = bool(page.chars)
    tables = page.find_tables()
    blocks: list[tuple[float, list[Row]]] = []
    outside = page
    for table in tables:
        table_no += 1
        blocks.append((table.bbox[1], _table_rows(table, page_no, table_no)))
        outside = outside.outside_bbox(table.bbox)
    for line_no, line in enumerate(outside.extract_text_lines(return_chars=False), start=1):
        pos = Position(page=page_no, line=line_no, column=1)
        row = Row(cells=[Cell(text=clean_cell_text(line["text"]), pos=pos)], pos=pos)
        blocks.append((line["top"], [row]))
    blocks.sort(key=lambda block: block[0])
    return [row for _, rows in blocks for row in rows], table_no, has_text


def _table_rows(table, page_no: int, table_no: int) -> list[Row]:
    data = table.extract()
    merged = _fill_merged(table, data)
    rows = []
    for r, values in enumerate(data, start=1):
        cells = [Cell(text=join_wrapped(value or ""), merged=(r - 1, c - 1) in merged,
                      pos=Position(page=page_no, table=table_no, row=r, col=c))
                 for c, value in enumerate(values, start=1)]
        rows.append(Row(cells=cells, table=table_no, pos=Position(page=page_no, table=table_no, row=r, col=1)))
    return rows


def _fill_merged(table, data: list[list]) -> set[tuple[int, int]]:
    """Give each grid slot that pdfplumber left empty (None) because a merged cell covers it the
    covering cell's text; return the slots filled. pdfplumber's grid columns are the distinct
    left edges of the cells and its rows their distinct tops, so slot (r, c) is the rectangle
    between consecutive edges."""
    filled: set[tuple[int, int]] = set()
    boxes = list(getattr(table, "cells", []) or [])
    if not boxes:
        return filled
    xs = sorted({round(b[0], 1) for b in boxes}) + [table.bbox[2]]
    ys = sorted({round(b[1], 1) for b in boxes}) + [table.bbox[3]]
    anchors = {(ys.index(round(b[1], 1)), xs.index(round(b[0], 1))): b for b in boxes}
    for r, values in enumerate(data):
        for c, value in enumerate(values):
            if value is not None or c + 1 >= len(xs) or r + 1 >= len(ys):
                continue
            x, y = (xs[c] + xs[c + 1]) / 2, (ys[r] + ys[r + 1]) / 2
            for (ar, ac), (x0, top, x1, bottom) in anchors.items():
                if x0 <= x <= x1 and top <= y <= bottom:
                    if (ar, ac) != (r, c) and ar < len(data) and ac < len(data[ar]) and data[ar][ac]:
                        values[c] = data[ar][ac]
                        filled.add((r, c))
                    break
    return filled


def join_wrapped(text: str) -> str:
    """A table cell's lines joined back. Lines wrap anywhere (inside numbers and codes too), so
    they are joined without a space, except between two Latin letters (a break between words)."""
    out = ""
    for line in clean_cell_text(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out
