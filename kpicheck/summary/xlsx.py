"""The summary as a workbook (`--format xlsx`, needs openpyxl: `kpicheck[office]` or
`kpicheck[summary]`): one sheet per table of the HTML page, with Excel's own bar charts beside
the tables of families, rules, regions and years."""
from __future__ import annotations

import io
from typing import Optional

from kpicheck.summary import Corpus, SummaryError, tables

MISSING = "summary 的 xlsx 格式需要 openpyxl：pip install 'kpicheck[summary]'"
SHEET_NAMES = {"overview": "概览", "severities": "级别", "families": "类别", "rules": "规则", "regions": "地区",
               "units": "单位", "years": "年度", "yoy": "同比", "yoy_units": "单位同比", "documents": "文件排名"}
# table → (column of the labels, columns of the values) charted beside it (1-based)
CHARTS = {"families": (2, (3, 4, 5)), "rules": (1, (5,)), "regions": (1, (8,)), "years": (1, (8,)),
          "yoy": (1, (5, 6))}
CHART_ROWS = 25


def render(corpus: Corpus, lang: str = "zh", years: Optional[tuple[int, int]] = None, title: str = "") -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.chart import BarChart, Reference
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as exc:
        raise SummaryError(MISSING) from exc
    from rich.cells import cell_len

    wb = Workbook()
    wb.remove(wb.active)
    for tb in tables(corpus, lang, years):
        ws = wb.create_sheet((SHEET_NAMES[tb.key] if lang == "zh" else tb.key)[:31])
        ws.append(tb.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
        for row in tb.rows:
            ws.append(row)
        if tb.note:
            ws.cell(row=len(tb.rows) + 3, column=1, value=tb.note)
        for k, header in enumerate(tb.headers, 1):
            width = max([cell_len(str(header))] + [cell_len(str(r[k - 1])) for r in tb.rows[:500]])
            ws.column_dimensions[get_column_letter(k)].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        if tb.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(tb.headers))}{len(tb.rows) + 1}"
        if tb.key in CHARTS and tb.rows:
            label_col, value_cols = CHARTS[tb.key]
            last = min(len(tb.rows), CHART_ROWS) + 1
            chart = BarChart()
            chart.type = "bar"
            chart.title = tb.title
            chart.grouping = "stacked" if tb.key == "families" else "clustered"
            if tb.key == "families":
                chart.overlap = 100
            for col in value_cols:
                chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=label_col, min_row=2, max_row=last))
            chart.height, chart.width = max(7.5, 0.6 * last), 16
            ws.add_chart(chart, f"{get_column_letter(len(tb.headers) + 2)}2")

    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)  # reproducible bytes
    if title:
        wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
