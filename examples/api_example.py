"""Calling kpicheck as a library, the way a document-parsing tool does.

    .venv/bin/python examples/api_example.py

The functions return a pydantic `Report` (the JSON schema of `kpicheck check --format json`);
they print nothing themselves, so this script does the printing.
"""
from __future__ import annotations

from pathlib import Path

from kpicheck.api import check_file, check_indicators, check_tables, extract_text

# 1. Tables the parser already extracted: a list of tables, each a list of rows of cell strings.
#    `page` (optional) and the narrative text around the tables help positions and budgets.
tables = [{
    "page": 4,
    "rows": [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "≥100人"],
        ["", "时效指标", "完成时间", "2024年12月31日前"],
        ["效益指标", "社会效益指标", "就业率", "有效提升"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≤90%"],
    ],
}]
report = check_tables(tables, meta={"path": "申报书.pdf", "budget_year": 2024,
                                    "text": "项目名称：职业技能培训\n资金总额：50万元"})
for f in report.files:
    for finding in f.findings:
        print(f"{finding.pos.label():12} {finding.code} {finding.severity:7} {finding.message}")

# 2. A file of any supported format (.txt .csv .json .xlsx .docx .pdf); an unreadable file is
#    not an exception: its entry carries `error` with a stable code.
fixture = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed000_targets.xlsx"
for f in check_file(fixture).files:
    print(f.path, "error:", f.error.code if f.error else None, "indicators:", len(f.indicators),
          "findings:", len(f.findings))

# 3. Indicators only (no rules), from text.
for ind in extract_text("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t维护设备台数\t≥20台").files[0].indicators:
    print(ind.name, ind.value, ind.category, ind.parsed.kind if ind.parsed else None)

# 4. Indicators the caller already has, with the project's budget for the cost rules.
report = check_indicators(
    [{"name": "培训成本", "value": "≤60万元", "declared_level1": "成本", "project": "职业技能培训"}],
    projects=[{"name": "职业技能培训", "budget_wan": 50}], budget_year=2024)
print(report.summary.model_dump())
