"""`--format csv`: the reviewer's 审核意见表, one row per finding (UTF-8 with BOM so that Excel
opens Chinese text correctly). `review_table` is shared with the xlsx format."""
from __future__ import annotations

import csv
import io
from typing import Optional

from kpicheck.models import FileReport, Report
from kpicheck.report.common import RenderOptions, indicator_index, indicator_of, location, severity_label

HEADERS = {
    "zh": ["文件", "项目", "位置", "一级指标", "二级指标", "三级指标", "指标值", "规则", "级别", "问题说明", "修改建议"],
    "en": ["file", "project", "location", "level 1", "level 2", "indicator", "value", "rule", "severity",
           "problem", "suggestion"],
}
UNREADABLE = {"zh": "无法读取", "en": "cannot read"}


def review_table(report: Report, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Headers and one row per finding (and per unreadable file)."""
    rows: list[list[str]] = []
    for f in report.files:
        rows.extend(file_rows(f, lang))
    return HEADERS.get(lang, HEADERS["zh"]), rows


def file_rows(f: FileReport, lang: str = "zh") -> list[list[str]]:
    rows: list[list[str]] = []
    if f.error:
        rows.append([f.path, "", "", "", "", "", "", f.error.code, severity_label("error", lang),
                     f"{UNREADABLE.get(lang, UNREADABLE['zh'])}: {f.error.message}", ""])
    index = indicator_index(f)
    for x in f.findings:
        ind = indicator_of(f, x, index)
        l1 = (ind.declared_level1 or ind.declared_level1_raw or "") if ind else ""
        l2 = (ind.declared_level2 or ind.declared_level2_raw or "") if ind else ""
        shown = x.indicator or {}
        rows.append([f.path, x.project or "", location(x), l1, l2, shown.get("name", "") or "",
                     shown.get("value", "") or "", x.code, severity_label(x.severity, lang),
                     x.message, x.suggestion or ""])
    return rows


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def head(lang: str = "zh") -> str:
    """The BOM and the header row; then `file_csv` of each file (streamed by the CLI)."""
    return "\ufeff" + _csv([HEADERS.get(lang, HEADERS["zh"])])


def file_csv(f: FileReport, lang: str = "zh") -> str:
    return _csv(file_rows(f, lang))


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    opts = opts or RenderOptions()
    headers, rows = review_table(report, opts.lang)
    return "\ufeff" + _csv([headers, *rows])
