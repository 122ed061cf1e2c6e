"""Excel workbooks (.xlsx/.xlsm): every visible sheet as rows of cells, positions `Sheet1!C7`.

Read-only streaming (openpyxl `read_only=True`), formulas as their cached values
(`data_only=True`: a formula Excel never calculated reads as empty; nothing is evaluated), merged
areas expanded so every cell of the area carries the value (copies are marked `merged`), hidden
and very-hidden sheets skipped. Numbers are shown as Excel shows them for the common formats
(`0.00`, `#,##0`, `0%`, quoted units such as `0"人"`), since reviewers read the displayed text.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kpicheck import patterns
from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError, forbidden_xml, one_line
from kpicheck.read.rows import build_document, clean_cell_text, number_text
from kpicheck.read.safety import check_office_package, require

MAX_CELLS = 2_000_000  # non-empty cells over the whole workbook
MAX_MERGED_AREA = 100_000  # cells one merge may cover (a merge of a whole sheet is not a table)

_NUMBER_FORMAT = patterns.compile(
    r'^(?P<prefix>(?:"[^"]*"|\\.|[^0#?.,%"\\])*)'
    r'(?P<digits>[#0?,]*0[#0?,]*|#[#,]*)(?:\.(?P<decimals>[0#?]+))?'
    r'(?P<suffix>(?:"[^"]*"|\\.|[^0#?"\\])*)$'
)


def read_xlsx(path: Path) -> SourceDocument:
    check_office_package(path, "[Content_Types].xml", "Excel")
    openpyxl = require("openpyxl")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on a broken package
        if forbidden_xml(exc):
            raise ReadError("unsafe", "Excel 文件含有 DTD 或实体声明（可能是 XXE 攻击），出于安全原因拒绝读取") from exc
        raise ReadError("corrupt", f"Excel 文件已损坏，无法打开: {one_line(exc)}") from exc
    try:
        rows: list[Row] = []
        budget = [MAX_CELLS]
        for sheet_no, ws in enumerate(wb.worksheets, start=1):
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows.extend(_sheet_rows(wb, ws, sheet_no, budget))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        if forbidden_xml(exc):
            raise ReadError("unsafe", "Excel 文件含有 DTD 或实体声明（可能是 XXE 攻击），出于安全原因拒绝读取") from exc
        raise ReadError("corrupt", f"Excel 文件已损坏，读取失败: {one_line(exc)}") from exc
    finally:
        wb.close()
    return build_document(str(path), "xlsx", rows)


def _sheet_rows(wb, ws, sheet_no: int, budget: list[int]) -> list[Row]:
    from openpyxl.utils import get_column_letter

    grid: dict[tuple[int, int], str] = {}
    ws.reset_dimensions()  # declared dimensions are often wrong in exported files
    for r, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        for c, cell in enumerate(cells, start=1):
            text = format_value(getattr(cell, "value", None), getattr(cell, "number_format", "General"))
            if text:
                grid[(r, c)] = text
                budget[0] -= 1
                if budget[0] < 0:
                    raise ReadError("too-large", f"Excel 文件的非空单元格超过 {MAX_CELLS} 个")
    copies = _expand_merges(grid, _merged_ranges(wb, ws))
    if not grid:
        return []
    last_row = max(r for r, _ in grid)
    width = max(c for _, c in grid)  # a sheet is a rectangle: every row as wide as the widest
    rows: list[Row] = []
    for r in range(1, last_row + 1):
        cells = [
            Cell(text=grid.get((r, c), ""), merged=(r, c) in copies,
                 pos=Position(sheet=ws.title, cell=f"{get_column_letter(c)}{r}", row=r, col=c))
            for c in range(1, width + 1)
        ]
        rows.append(Row(cells=cells, table=sheet_no,
                        pos=Position(sheet=ws.title, cell=f"A{r}", row=r, col=1)))
    return rows


def _merged_ranges(wb, ws) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merge, read from the sheet XML: read-only
    worksheets do not expose merges, and `mergeCell` elements sit at the end of the part."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed

    path = getattr(ws, "_worksheet_path", None)
    if path is None:
        return [(m.min_row, m.min_col, m.max_row, m.max_col) for m in getattr(ws, "merged_cells", [])]
    out = []
    with wb._archive.open(path) as src:
        for _, el in iterparse(src):
            if el.tag.endswith("}mergeCell") or el.tag == "mergeCell":
                ref = el.get("ref")
                if ref and ":" in ref:
                    min_col, min_row, max_col, max_row = range_boundaries(ref)
                    out.append((min_row, min_col, max_row, max_col))
            elif el.tag.endswith("}row") or el.tag.endswith("}c"):
                el.clear()  # keep memory flat on big sheets
    return out


def _expand_merges(grid: dict[tuple[int, int], str],
                   merges: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """Copy each merge's top-left value over its area; return the cells that are copies."""
    copies: set[tuple[int, int]] = set()
    for min_row, min_col, max_row, max_col in merges:
        value = grid.get((min_row, min_col), "")
        if not value:
            continue
        if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_MERGED_AREA:
            continue
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    grid[(r, c)] = value
                    copies.add((r, c))
    return copies


def format_value(value, number_format: str | None = "General") -> str:
    """The text Excel would display for a cell value, for the formats budget tables use."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return _format_date(value.date(), number_format)
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date):
        return _format_date(value, number_format)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(float(value) if isinstance(value, float) else value, number_format or "General")
    return clean_cell_text(str(value))


def _format_date(day: dt.date, number_format: str | None) -> str:
    fmt = number_format or ""
    if "年" in fmt:
        if "日" in fmt or "d" in fmt.lower().split("月")[-1]:
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.year}年{day.month}月"
    return day.isoformat()


def format_number(number: int | float, number_format: str) -> str:
    """`0.00` → 2 decimals, `#,##0` → thousands separators, `0%` → percent, quoted text kept."""
    section = number_format.split(";")[0]
    section = re.sub(r"\[[^\]]*\]", "", section)  # colours, conditions, locales
    if section in ("", "General", "@"):
        return number_text(number)
    m = _NUMBER_FORMAT.match(section)
    if not m:
        return number_text(number)
    prefix, suffix = _literal(m.group("prefix")), m.group("suffix")
    percent = "%" in suffix
    suffix = _literal(suffix)
    value = float(number) * (100 if percent else 1)
    decimals = m.group("decimals") or ""
    places = len(decimals)
    text = f"{value:,.{places}f}" if "," in m.group("digits") else f"{value:.{places}f}"
    if places and "0" not in decimals:  # "#" places: trailing zeros are not shown
        text = text.rstrip("0").rstrip(".")
    return f"{prefix}{text}{suffix}"


def _literal(part: str) -> str:
    """Literal text of a format fragment: quotes and escapes removed, padding/spacing dropped."""
    out = []
    i = 0
    while i < len(part):
        ch = part[i]
        if ch == '"':
            end = part.find('"', i + 1)
            end = len(part) if end < 0 else end
            out.append(part[i + 1:end])
            i = end + 1
        elif ch == "\\" and i + 1 < len(part):
            out.append(part[i + 1])
            i += 2
        elif ch in "_*":  # `_)` pads with a space's width, `*-` repeats: no visible text
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


__all__ = ["read_xlsx", "format_value", "format_number"]
