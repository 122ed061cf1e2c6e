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
from kpicheck.report.csv_report import HEADERS, review_table, reports_results

FILL = {"error": "F8CBAD", "warning": "FFE699", "info": "BDD7EE"}
WRAP_HEADERS = {"三级指标", "指标值", "实际完成值", "问题说明", "修改建议",
                "indicator", "value", "actual", "problem", "suggestion"}
SEVERITY_HEADERS = {HEADERS["zh"][8], HEADERS["en"][8]}  # 级别 / severity


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
    # a self-evaluation's findings also show the row's result: actual, score/weight
    headers, rows = review_table(report, opts.lang, selfeval=reports_results(report))
    severity_column = next(i for i, h in enumerate(headers) if h in SEVERITY_HEADERS) + 1
    wrap_columns = [i for i, h in enumerate(headers) if h in WRAP_HEADERS]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    fills = {severity_label(s, opts.lang): PatternFill("solid", fgColor=c) for s, c in FILL.items()}
    for row in rows:
        ws.append(row)
        r = ws.max_row
        sev_cell = ws.cell(row=r, column=severity_column)
        if sev_cell.value in fills:
            sev_cell.fill = fills[sev_cell.value]
        for col in wrap_columns:
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
    return _reproducible_bytes(wb)


def _reproducible_bytes(wb) -> bytes:
    """The workbook's bytes, the same for the same report: `Workbook.save` stamps the document
    as modified now, and the zip entries carry the clock (2-second resolution), so two renders
    a second boundary apart differed. ExcelWriter writes the properties as set, into a zip
    whose entries are dated 2000-01-01."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    class _Dated(zipfile.ZipFile):
        def writestr(self, name, data, *args, **kwargs):  # type: ignore[override]
            if isinstance(name, str):
                name = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                name.compress_type = self.compression
            return super().writestr(name, data, *args, **kwargs)

        def write(self, filename, arcname=None, *args, **kwargs):  # type: ignore[override]
            with open(filename, "rb") as fh:  # a worksheet, written to a temporary file first
                return self.writestr(arcname or str(filename), fh.read())

    buf = io.BytesIO()
    ExcelWriter(wb, _Dated(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buf.getvalue()
