"""Projects named by indicators are listed with the funds their own table row states."""
from __future__ import annotations

from kpicheck.api import extract_text

WIDE = "\n".join([
    "2024年度单位预算项目绩效目标表",
    "项目编码\t项目名称\t项目金额（万元）\t成本指标\t\t产出指标\t\t效益指标\t\t满意度指标\t",
    "\t\t资金总额\t三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值",
    "4101\t档案数字化加工\t12.50\t不超出预算\t≤12.5万元\t加工档案卷数\t≥3000卷\t档案利用效率提升\t≥20%\t查档群众满意度\t≥95%",
    "4102\t机房空调维保\t3.20\t维保费用\t≤4万元\t维保次数\t≥4次\t机房正常运行率\t≥99%\t使用人员满意度\t≥90%",
])


def test_wide_table_rows_give_each_project_its_budget():
    report = extract_text(WIDE)
    projects = {p.name: p.budget_wan for p in report.files[0].projects}
    assert projects == {"档案数字化加工": 12.5, "机房空调维保": 3.2}


def test_cost_cap_above_the_row_budget_is_flagged():
    from kpicheck.api import check_text

    findings = check_text(WIDE).files[0].findings
    over = [f for f in findings if f.code.startswith("KPI6")]
    assert [f.indicator["value"] for f in over] == ["≤4万元"]


PROJECT_TABLE = "\n".join([
    "年度\t单位编码\t单位名称\t项目名称\t主管部门\t项目实施时间\t\t项目属性",
    "\t\t\t\t\t起:\t止:\t",
    "2022\t101001\t某街道办\t社区养老服务补贴\t区民政局\t202201\t302212\t新增项目",
    "2022\t101001\t某街道办\t老旧小区改造\t区住建局\t202201\t202212\t延续项目",
])


def test_project_table_periods_are_attached_and_checked():
    from kpicheck.api import check_text

    f = check_text(PROJECT_TABLE).files[0]
    periods = {p.name: p.period_text for p in f.projects}
    assert periods == {"社区养老服务补贴": "202201-302212", "老旧小区改造": "202201-202212"}
    kpi4 = [x for x in f.findings if x.code.startswith("KPI4")]
    assert [x.project for x in kpi4] == ["社区养老服务补贴"]
