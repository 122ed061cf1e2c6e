"""`--format xlsx`: the 审核意见表 as a spreadsheet (needs openpyxl: `kpicheck[office]`).

Sheet 1 holds one row per finding, with filters, a frozen header and the severity coloured;
sheet 2 counts findings per rule."""
from __future__ import annotations

import io
from collections import Counter
from typing import Optional

from rich.cells import cell_len

from kpicheck.models import Report
from kpicheck.report.common import RenderOptions, ReportError, rule_meta, severity_label
from kpicheck.report.csv_report import review_table

FILL = {"error": "F8CBAD", "warning": "FFE699", "info": "BDD7EE"}
WRAP_COLUMNS = {5, 6, 9, 10}  # 三级指标, 指标值, 问题说明, 修改建议 (0-based)


def render(report: Report, opts: Optional[RenderOptions] = None) -> bytes:
    opts = opts or RenderOptions()
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as exc:
        raise ReportError("xlsx 格式需要 openpyxl：pip install 'kpicheck[office]'") from exc
    zh = opts.lang == "zh"
    wb = Workbook()
    ws = wb.active
    ws.title = "审核意见" if zh else "findings"
    headers, rows = review_table(report, opts.lang)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    fills = {severity_label(s, opts.lang): PatternFill("solid", fgColor=c) for s, c in FILL.items()}
    for row in rows:
        ws.append(row)
        r = ws.max_row
        sev_cell = ws.cell(row=r, column=9)
        if sev_cell.value in fills:
            sev_cell.fill = fills[sev_cell.value]
        for col in WRAP_COLUMNS:
            ws.cell(row=r, column=col + 1).alignment = Alignment(wrap_text=True, vertical="top")
    for idx, header in enumerate(headers):
        width = max([cell_len(header)] + [cell_len(str(row[idx])) for row in rows])
        ws.column_dimensions[get_column_letter(idx + 1)].width = min(max(width + 2, 6), 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"

    stats = wb.create_sheet("规则统计" if zh else "statistics")
    stats.append(["规则", "名称", "级别", "数量"] if zh else ["rule", "name", "severity", "count"])
    for cell in stats[1]:
        cell.font = Font(bold=True)
    counts = Counter(report.summary.by_code)
    sample = {x.code: x for f in report.files for x in f.findings}
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        meta = rule_meta(code, sample.get(code), opts.lang)
        stats.append([code, meta.name, severity_label(sample[code].severity if code in sample
                                                      else meta.severity, opts.lang), n])
    for letter, width in zip("ABCD", (10, 32, 8, 8)):
        stats.column_dimensions[letter].width = width

    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)  # reproducible bytes
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
