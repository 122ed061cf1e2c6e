"""`--format csv`: the reviewer's 审核意见表, one row per finding (UTF-8 with BOM so that Excel
opens Chinese text correctly). `review_table` is shared with the xlsx format."""
from __future__ import annotations

import csv
import io
from typing import Optional

from kpicheck.models import FileReport, Report
from kpicheck.report.common import (
    RenderOptions, indicator_index, indicator_of, location, project_field, severity_label,
)

HEADERS = {
    "zh": ["文件", "项目", "位置", "一级指标", "二级指标", "三级指标", "指标值", "规则", "级别", "问题说明", "修改建议"],
    "en": ["file", "project", "location", "level 1", "level 2", "indicator", "value", "rule", "severity",
           "problem", "suggestion"],
}
UNREADABLE = {"zh": "无法读取", "en": "cannot read"}
# A self-evaluation's review sheet (xlsx) adds, after the target: the actual and score / weight.
SELFEVAL_HEADERS = {"zh": ["实际完成值", "得分/分值"], "en": ["actual", "score/weight"]}
VALUE_COLUMN = 6  # 指标值: the self-evaluation columns follow it


def review_table(report: Report, lang: str = "zh", selfeval: bool = False) -> tuple[list[str], list[list[str]]]:
    """Headers and one row per finding (and per unreadable file); `selfeval` adds the columns
    实际完成值 and 得分/分值 after 指标值."""
    rows: list[list[str]] = []
    for f in report.files:
        rows.extend(file_rows(f, lang, selfeval))
    headers = list(HEADERS.get(lang, HEADERS["zh"]))
    if selfeval:
        headers[VALUE_COLUMN + 1:VALUE_COLUMN + 1] = SELFEVAL_HEADERS.get(lang, SELFEVAL_HEADERS["zh"])
    return headers, rows


def reports_results(report: Report) -> bool:
    """Some finding is on a self-evaluation row (an actual, a score or a weight was read)."""
    return any(x.indicator and any(x.indicator.get(k) is not None for k in ("actual", "score", "weight"))
               for f in report.files for x in f.findings)


def file_rows(f: FileReport, lang: str = "zh", selfeval: bool = False) -> list[list[str]]:
    rows: list[list[str]] = []
    if f.error:
        rows.append([f.path, "", "", "", "", "", "", *(["", ""] if selfeval else []), f.error.code,
                     severity_label("error", lang), f"{UNREADABLE.get(lang, UNREADABLE['zh'])}: {f.error.message}", ""])
    index = indicator_index(f)
    for x in f.findings:
        ind = indicator_of(f, x, index)
        l1 = (ind.declared_level1 or ind.declared_level1_raw or "") if ind else ""
        l2 = (ind.declared_level2 or ind.declared_level2_raw or "") if ind else ""
        shown = x.indicator or {}
        results = []
        if selfeval:
            score, weight = shown.get("score"), shown.get("weight")
            results = [shown.get("actual") or "",
                       f"{score or '-'}/{weight or '-'}" if score is not None or weight is not None else ""]
        name = shown.get("name", "") or ""
        if not shown and x.field:  # a funds row's cell or the total row: what it printed
            name = project_field(f, x, lang)
        rows.append([f.path, x.project or "", location(x), l1, l2, name,
                     shown.get("value", "") or "", *results, x.code, severity_label(x.severity, lang),
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
