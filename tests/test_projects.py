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


# A department budget in prose (PDF text, wrapped lines, blank lines between them): the unit's
# own targets, then a key project introduced by a quoted heading. Invented text in that layout.
PROSE_DEPARTMENT = "\n\n".join([
    "第一部分 某县医疗保障服务中心概况",
    "一、部门主要职责",
    "收入总计 52.4万元（上年收入总计 50.1万元）。",
    "第四部分 预算绩效情况",
    "一、部门整体绩效目标编制情况",
    "1、长期目标 1：做好医保经办服务，具体指标设置为：",
    "产出指标：数量指标：医保窗口办件数量+年办件 3 万件。指标设立依据是：计划标准。",
    "成本指标：支出不超预算安排≤600000元。指标设立依据是：计划标准。",
    "满意度指标：服务对象满意度指标：医保经办+群众满意度达到 95％。",
    "二、重点项目绩效目标编制情况",
    "1、“医保信息系统运维项目”主要内容是：保障医保信息系统正常运行。",
    "2023 年预算安排 20.50 万元，其中：20.50 万元为当年一般公共预算资金。",
    "2、项目绩效总目标是：全年系统可用率 99%，项目预算经",
    "费申报为 2000,000.00 元。",
    "3、项目绩效指标设置情况：",
    "产出指标：数量指标：运维系统数量+运维系统 2 套。指标设立依据是：计划标准。",
    "成本指标：支出不超预算安排≤20.5万元。指标设立依据是：计划标准。",
    "效益指标：社会指标：系统稳定运行+系统可用率≥99%。",
])


def test_prose_department_lists_the_unit_and_the_quoted_project_with_their_funds():
    f = extract_text(PROSE_DEPARTMENT).files[0]
    projects = {p.name: (p.budget_wan, p.other_budgets_wan) for p in f.projects}
    assert projects == {"某县医疗保障服务中心": (52.4, []), "医保信息系统运维项目": (20.5, [200.0])}
    owners = {i.name: i.project for i in f.indicators}
    assert owners["医保窗口办件数量"] == "某县医疗保障服务中心"
    assert owners["运维系统数量"] == "医保信息系统运维项目"
    goal = next(p.goal_text for p in f.projects if p.name == "医保信息系统运维项目")
    assert goal.startswith("全年系统可用率 99%") and "2000,000.00" in goal


def test_prose_department_facts_drive_the_budget_rules():
    from kpicheck.api import check_text

    f = check_text(PROSE_DEPARTMENT).files[0]
    by_code = {}
    for x in f.findings:
        by_code.setdefault(x.code, []).append(x)
    assert [x.indicator["value"] for x in by_code["KPI601"]] == ["≤600000元"]  # 60万 > 52.4万
    assert [x.project for x in by_code["KPI602"]] == ["医保信息系统运维项目"]  # 20.5 vs 200
    assert any(x.project == "医保信息系统运维项目" and x.indicator is None for x in by_code["KPI505"])


FORM_HEADER = "\n".join([
    "项目名称\t档案库房改造",
    "项目资金(元)\t申报期资金总额:\t3,000,000\t年度资金总额:\t800,000",
    "项目资金来源\t1、一般公共预算 6.30",
    "一级指标\t二级指标\t三级指标\t指标值",
    "产出指标\t数量指标\t改造库房面积\t≥300平方米",
])


def test_form_header_gives_the_annual_funds_not_the_several_year_total():
    f = extract_text(FORM_HEADER).files[0]
    assert [(p.name, p.budget_wan) for p in f.projects] == [("档案库房改造", 80.0)]


def test_funds_key_takes_only_the_amount_beside_it():
    text = "\n".join([
        "项目名称\t特困人员救助补助",
        "项目资金(万元)\t年度资金总额\t金额(万元)",
        "\t1、一般公共预算 6.30",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t救助人数\t≥20人",
        "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因",
    ])
    f = extract_text(text).files[0]
    assert [(p.name, p.budget_wan) for p in f.projects] == [("特困人员救助补助", None)]


def test_budget_table_row_is_the_budget_and_a_different_form_figure_is_kept():
    text = "\n".join([
        "项目支出预算表",
        "项目名称\t合计\t一般公共预算",
        "金保工程运营维护\t83.00\t83.00",
        "",
        "项目名称\t金保工程运营维护",
        "项目资金(元)\t年度资金总额:\t330,000",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t运维系统数\t1个",
    ])
    f = extract_text(text).files[0]
    [project] = f.projects
    assert (project.budget_wan, project.other_budgets_wan) == (83.0, [33.0])


def test_funds_key_in_a_header_row_takes_the_amount_row_below():
    text = "\n".join([
        "| 专项名称 | 2023年助学补助项目 | |",
        "| 专项资金情况 | 本年度预计投入(万元) | 财政资金(万元) | 其他 |",
        "| 中央 | 省级 | 市级资金 | 本级 |",
        "| 7 | 0 | 7 | 0 | 0 | 0 |",
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 数量指标 | 补助学生人数 | ≥100人 |",
    ])
    f = extract_text(text).files[0]
    assert [(p.name, p.budget_wan) for p in f.projects] == [("2023年助学补助项目", 7.0)]


def test_run_together_form_names_the_second_level_project_and_its_funds():
    text = ("省级部门预算项目支出绩效目标表(2023年度)一级项目名称文化事业发展专项资金二级项目名称"
            "图书馆免费开放补助资金项目类型新增项目项目总投资30万元中央补助安排0预算申报数25万元"
            "一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天"
            "成本指标经济成本指标开放运行成本≤28万元")
    f = extract_text(text).files[0]
    assert [(p.name, p.budget_wan) for p in f.projects] == [("图书馆免费开放补助资金", 25.0)]
    assert {i.project for i in f.indicators} == {"图书馆免费开放补助资金"}


def test_unit_name_from_its_cell_names_a_whole_unit_table():
    text = "\n".join([
        "某区价格认证中心2023年度整体绩效目标表 |",
        "部门(单位)名称 | 某区价格认证中心 |",
        "一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "产出指标 | 数量指标 | 价格认定件数 | ≥50件 |",
    ])
    f = extract_text(text).files[0]
    assert [p.name for p in f.projects] == ["某区价格认证中心"]
    assert [i.project for i in f.indicators] == ["某区价格认证中心"]


def test_a_notice_title_names_the_project():
    text = "\n".join([
        "关于某镇设施葡萄种植项目绩效目标设定的公示",
        "产出指标:数量指标:葡萄种植数量≥17600株;时效指标:完成及时率≥100%。",
    ])
    f = extract_text(text).files[0]
    assert [p.name for p in f.projects] == ["某镇设施葡萄种植项目"]
