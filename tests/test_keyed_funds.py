"""A funds block printed as keys and amounts (区域绩效自评表: 四川 h058 and h066 of the shared
corpus), read by kpicheck/segment/keyed_funds.py."""
from __future__ import annotations

from kpicheck.api import check_text, extract_text

# h058: the two keyed columns interleaved one cell per line, as the PDF text prints them
STACKED = ("食品监管补助资金区域绩效目标自评表\n\n专项名称\n\n食品监管补助资金\n\n预算执行情况\n\n预算数:\n\n"
           "2.38\n\n执行数:\n\n2.38\n\n20\n\n其中:中央补助\n\n      2.38  万元\n\n其中:中央补助\n\n    2.38万元\n\n"
           " \n\n地方资金/其他\n\n万元\n\n地方资金/其他\n\n万元\n\n \n\n年度目标完成情况\n\n"
           "一级指标 二级指标 三级指标 年度指标值 实际完成指标值\n产出指标 质量指标 违法案件查办率 100% 100%\n")
# h066: the same block run together, 资金使用情况 with a 合计 before its amount
RUN_TOGETHER = ("专项名称普惠金融发展专项资金省级主管部门四川省财政厅资金情况(万元)年度金额(提前下达):208万元"
                "资金使用情况(万元)合计:{spent}万元中央财政165万元中央财政84.5万元省级财政{province}万元省级财政25.3万元"
                "年度总体目标目标1:支持农村金融组织体系建设。"
                "一级指标二级指标三级指标指标值完成值权重得分产出指标数量指标创业担保贷款发放额增长率≥10%115.25%20%20\n")


def _rows(text: str) -> list[tuple]:
    projects = extract_text(text).files[0].projects
    funds = next(p.funds for p in projects if p.funds)
    return [(r.label, r.adjusted, r.executed) for r in funds.rows]


def test_stacked_keys_read_budget_then_spending_for_each_source():
    assert _rows(STACKED) == [("年度资金总额", "2.38", "2.38"), ("中央补助", "2.38", "2.38"), ("地方资金/其他", None, None)]
    funds = next(p.funds for p in extract_text(STACKED).files[0].projects if p.funds)
    assert funds.unit == "万元"
    assert (funds.rows[1].positions["executed"].line, funds.rows[1].positions["executed"].column) == (25, 5)  # "    2.38万元"


def test_run_together_keys_read_with_the_total_label_between_key_and_amount():
    text = RUN_TOGETHER.format(spent="109.8", province="43")
    assert _rows(text) == [("年度资金总额", "208", "109.8"), ("中央财政", "165", "84.5"), ("省级财政", "43", "25.3")]
    assert not {"KPI607", "KPI608"} & {f.code for f in check_text(text).files[0].findings}


def test_a_keyed_block_is_checked_like_a_table():
    parts_off = check_text(RUN_TOGETHER.format(spent="109.8", province="53")).files[0].findings
    assert "KPI607" in {f.code for f in parts_off}  # 165 + 53 is not 208
    overspent = check_text(RUN_TOGETHER.format(spent="259.8", province="43")).files[0].findings
    assert "KPI608" in {f.code for f in overspent}  # 259.8 spent of 208


def test_a_budget_stated_in_prose_is_no_funds_block():
    text = ("项目名称：社区养老服务\n年度预算数100万元，全部用于日间照料中心运营。\n"
            "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 服务老人数 ≥500人\n")
    projects = extract_text(text).files[0].projects
    assert [(p.name, p.funds) for p in projects] == [("社区养老服务", None)]


def test_three_keyed_columns_fill_initial_adjusted_and_spending_in_order():
    # the keys of the standard 自评表's three funds columns, each with its amount, a source row
    # printed whole after them, the unit stated two lines above the keys
    text = ("项目名称：社区养老服务\n资金情况(万元)\n年初预算数：100 全年预算数：120 全年执行数：110\n"
            "其中：财政拨款 100 120 110\n一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 服务老人数 ≥500人\n")
    report = check_text(text).files[0]
    funds = next(p.funds for p in report.projects if p.funds)
    assert [(r.label, r.initial, r.adjusted, r.executed) for r in funds.rows] == [
        ("年度资金总额", "100", "120", "110"), ("财政拨款", "100", "120", "110")]
    assert funds.unit == "万元" and "KPI607" not in {f.code for f in report.findings}
