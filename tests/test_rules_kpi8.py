"""KPI8xx self-evaluation consistency: documented examples, real rows, and the precision cases
(printed precision, direction without a comparator, qualitative rows, unscored sub-rows)."""
from __future__ import annotations

import pytest

from kpicheck.config import Config
from kpicheck.models import FileReport, Funds, FundsRow, Indicator, Position, Project
from kpicheck.pipeline import understand
from kpicheck.rules import run_rules
from tests.rule_examples import assert_documented, assert_examples, family_rules
from tests.selfeval_rows import documents, matches, report_of
from kpicheck.rules.base import REDIRECTS

RULES = family_rules("KPI8")


def test_family_has_its_rules():
    # KPI808 and KPI809 (spending above budget, funds sub-rows) moved to KPI6 with the gold's
    # convention that a funds mismatch is a budget defect: their codes redirect
    assert {f"KPI8{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 10, 11, 12)} <= {r.code for r in RULES}
    assert {REDIRECTS["KPI808"], REDIRECTS["KPI809"]} == {"KPI608", "KPI607"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples(rule):
    assert_documented(rule)
    assert_examples(rule)


# ---------------------------------------------------------------- real rows, as printed


@pytest.mark.parametrize("doc", documents(), ids=lambda d: d["doc"])
def test_real_rows_give_exactly_the_findings_a_reviewer_accepts(doc):
    report = report_of(doc)
    found = run_rules(report, Config(select=["KPI8", "KPI607", "KPI608"]))  # and the funds block's KPI6
    false_alarms = [f.message for f in found if not any(matches(f, e, report) for e in doc["expected"])]
    assert not false_alarms
    for expected in doc["expected"]:
        assert any(matches(f, expected, report) for f in found), expected


def _doc(name: str) -> dict:
    return next(d for d in documents() if d["doc"] == name)


def _codes(report: FileReport, select: str = "KPI8") -> list[str]:
    # the funds block's own consistency is a budget matter (KPI607, KPI608), judged beside KPI8
    selectors = [select, "KPI607", "KPI608"] if select == "KPI8" else [select]
    return [f.code for f in run_rules(report, Config(select=selectors))]


@pytest.mark.parametrize("doc_id,where,field,value,code", [
    ("h080", "indicators", 0, {"score": "6"}, "KPI801"),  # a score raised above its weight
    ("h080", "indicators", 1, {"actual": "8000人"}, "KPI803"),  # an actual lowered, full marks kept
    ("h080", "indicators", 2, {"weight": "8"}, "KPI802"),  # a weight changed: 产出指标(50分) breaks
    ("h062", "funds", 0, {"rate": "88.19%"}, "KPI807"),  # an execution rate altered
    ("h062", "funds", 0, {"score": "9.62"}, "KPI811"),  # the total no longer adds up
    ("h016", "funds", 1, {"adjusted": "8.48"}, "KPI607"),  # a sub-row changed
])
def test_a_defect_planted_into_real_rows_is_caught(doc_id, where, field, value, code):
    doc = _doc(doc_id)
    project = doc["projects"][0]
    target = project[where][field] if where == "indicators" else project["funds"]["rows"][field]
    before = _codes(report_of(doc))
    target.update(value)
    after = _codes(report_of(doc))
    assert after.count(code) > before.count(code)


def test_rates_agree_to_the_printed_precision():
    # h062: 215,457.6 / 250000.00 = 86.183%, printed 86.19% (one unit in the last place)
    assert "KPI807" not in _codes(report_of(_doc("h062")))
    report = _funds_report(("年度资金总额", "55.00", "55.00", "54.50", "99%", "10", "9.9"))
    assert "KPI807" not in _codes(report)  # 99.09% printed to the per cent
    report = _funds_report(("年度资金总额", "55.00", "55.00", "54.50", "98%", "10", "9.8"))
    assert "KPI807" in _codes(report)
    # whole 万元 may hide up to half a 万元 each: 54.5 / 55 → anywhere in 98.1%-100.1%
    assert "KPI807" not in _codes(_funds_report(("年度资金总额", "55", "55", "54.5", "98%", "10", "9.8")))


# ---------------------------------------------------------------- helpers for one-off rows


def _report(*rows: dict, project: dict | None = None, truncated: bool | None = False) -> FileReport:
    indicators = []
    for n, row in enumerate(rows, 1):
        fields = {"declared_level1": "产出", "declared_level2": "数量", **row}
        indicators.append(Indicator(id=f"I{n}", project="p", line=n, **fields))
    understand(indicators)
    return FileReport(path="t.txt", budget_year=2023, truncated=truncated, indicators=indicators,
                      projects=[Project(name="p", **(project or {}))])


def _row(name, value, actual, weight="10", score="10", **more) -> dict:
    return {"name": name, "value": value, "actual": actual, "weight": weight, "score": score, **more}


def _funds_report(*rows: tuple, rule: str | None = None) -> FileReport:
    keys = ("label", "initial", "adjusted", "executed", "rate", "weight", "score")
    funds = Funds(scoring_rule=rule, rows=[FundsRow(**{k: v for k, v in zip(keys, r) if v is not None}) for r in rows])
    return FileReport(path="t.txt", projects=[Project(name="p", funds=funds)])


def _findings(report: FileReport, select: str = "KPI8", lang: str = "zh"):
    return run_rules(report, Config(select=[select], lang=lang))


# ---------------------------------------------------------------- targets against results


@pytest.mark.parametrize("name,value,actual,l1,l2", [
    ("群众满意度", "90%", "85%", "满意度", "服务对象满意度"),  # no comparator: a positive head reads as ≥
    ("培训人数", "200人", "150人", "产出", "数量"),  # a delivered count reads as ≥
    ("项目成本", "=6万元", "7万元", "成本", "经济成本"),  # a cost reads as ≤
    ("安全事故发生数", "0次", "1次", "效益", "社会效益"),  # a target of 0 can only be missed from above
    ("服务质量", "优", "良", "产出", "质量"),  # a grade one band lower
    ("是否建立管理制度", "是", "否", "产出", "质量"),  # yes/no not met
    ("项目完成时间", "2023年10月底前", "2023年12月", "产出", "时效"),  # late
])
def test_a_missed_target_with_full_marks(name, value, actual, l1, l2):
    found = _findings(_report(_row(name, value, actual, declared_level1=l1, declared_level2=l2)), "KPI803")
    assert [f.code for f in found] == ["KPI803"]
    assert found[0].field == "score"


@pytest.mark.parametrize("name,value,actual", [
    ("系统建设", "=1", "2"),  # no direction to read: say nothing
    ("防控控制率", "≥95%", "94%"),  # ambiguous head, yet a comparator: ≥ decides
    ("培训人数", "200人", "200余人"),  # approximate and too close to tell
    ("项目完成时间", "12月15日前", "12月"),  # the day is not printed
    ("培训人数", "≥200人", "已完成"),  # words: KPI806's business, not a miss
    ("培训人数", "≥200人", "210户"),  # another count unit: cannot convert
    ("群众满意度", "≥90%", "0.95"),  # a fraction, or 0.95%?
])
def test_no_miss_read_where_it_cannot_be_told(name, value, actual):
    codes = _codes(_report(_row(name, value, actual)), "KPI803")
    assert codes == ([] if name != "防控控制率" else ["KPI803"])


def test_rounding_can_explain_full_marks_only_as_a_warning():
    # 4604/4754 × 5 = 4.84: rounds to 5 when the table prints whole points
    found = _findings(_report(_row("救助供养人数", "≥4754人", "4604人", "5", "5")), "KPI803")
    assert [f.severity for f in found] == ["warning"]
    # the same table printing decimals elsewhere: 4.84 would have been printed
    found = _findings(_report(_row("救助供养人数", "≥4754人", "4604人", "5", "5"),
                              _row("培训人数", "≥200人", "190人", "5", "4.8")), "KPI803")
    assert [f.severity for f in found] == ["error"]


def test_points_deducted_on_a_met_target():
    assert _codes(_report(_row("培训合格率", "≥95%", "98%", "10", "8")), "KPI804") == ["KPI804"]
    # a reason given, a qualitative row (banded scoring), or a missed target: not this rule
    assert not _codes(_report(_row("培训合格率", "≥95%", "98%", "10", "8", deviation_reason="目标设定偏低")), "KPI804")
    assert not _codes(_report(_row("服务质量", "优", "优", "10", "9")), "KPI804")
    assert not _codes(_report(_row("培训合格率", "≥95%", "90%", "10", "9")), "KPI804")


def test_weights_in_percent_scored_on_another_scale_are_not_read_as_points():
    rows = [_row("培训合格率", "≥95%", "98%", "10%", "9"), _row("培训人数", "≥200人", "210人", "20%", "18")]
    assert not _codes(_report(*rows))
    rows = [_row("培训合格率", "≥95%", "98%", "10%", "10"), _row("培训人数", "≥200人", "210人", "20%", "18")]
    assert _codes(_report(*rows)) == ["KPI804"]


def test_a_missing_reason_needs_a_reason_column():
    row = _row("培训人数", "≥200人", "150人", "10", "7.5")
    assert not _codes(_report(row), "KPI805")  # the table has no such column
    assert _codes(_report({**row, "deviation_reason": ""}), "KPI805") == ["KPI805"]
    assert _codes(_report({**row, "deviation_reason": "无"}), "KPI805") == ["KPI805"]
    with_column = Indicator(id="x", name="培训人数", value="≥200人", actual="150人",
                            positions={"deviation_reason": Position(line=3, column=40)})
    understand([with_column])
    found = _findings(FileReport(path="t", indicators=[with_column]), "KPI805")
    assert found and found[0].pos.line == 3 and found[0].pos.column == 40


def test_incomparable_actuals():
    found = _findings(_report(_row("宣传次数", "≥2次", "80%")), "KPI806")
    assert len(found) == 1 and "百分比" in found[0].message and found[0].field == "actual"
    # the share of the plan done ('已完成100%') is a report of completion, not a quantity of another kind
    assert not _codes(_report(_row("宣传次数", "≥2次", "已完成100%")), "KPI806")
    assert _codes(_report(_row("培训人数", "≥200人", "已完成")), "KPI806") == ["KPI806"]
    for value, actual in (("≥95%", "98"), ("100", "100%"), ("10万元", "100000元"), ("11月底前", "按时完成"),
                          ("及时", "及时"), ("≥200人", "")):
        assert not _codes(_report(_row("指标", value, actual)), "KPI806"), (value, actual)


def test_bounded_rates_above_100_in_actuals():
    assert _codes(_report(_row("验收合格率", "≥95%", "120%")), "KPI812") == ["KPI812"]
    assert _codes(_report(_row("验收合格率", "≥95", "120", declared_level2="质量")), "KPI812") == []  # no % printed
    for name in ("贷款发放额增长率", "年度计划完成率"):
        assert not _codes(_report(_row(name, "≥10%", "115%")), "KPI812")


# ---------------------------------------------------------------- weights and totals


def test_subtotals_and_unscored_sub_rows():
    rows = [_row("补助种植面积", "29.5亩", "29.5亩", "20", "20", declared_level1_raw="产出指标(30分)"),
            _row("其中桃树种植面积", "1.5亩", "1.5亩", "", "", declared_level1_raw="产出指标(30分)"),
            _row("补助鱼塘面积", "3亩", "3亩", "10", "10", declared_level1_raw="产出指标(30分)")]
    assert not _codes(_report(*rows))
    rows[2]["weight"] = rows[2]["score"] = "5"
    found = _findings(_report(*rows, truncated=False), "KPI802")
    assert len(found) == 1 and found[0].field == "level1" and "25" in found[0].message
    # short of the subtotal in the last category of a file that may be cut off: not judged
    assert not _codes(_report(*rows, truncated=True), "KPI802")
    rows[2]["weight"] = "15"
    assert _codes(_report(*rows, truncated=True), "KPI802") == ["KPI802"]  # over: no cut explains it


@pytest.mark.parametrize("weights,total,funds_weight,flagged", [
    (("60", "30"), "100", "10", False),  # 90 + the execution item's 10
    (("60", "30"), "90", "10", False),  # the total of the indicators alone
    (("60", "30"), "100", None, False),  # the execution item not read: the common 10 points
    (("60", "35"), "100", "10", True),
    (("22.5", "22.5", "22.5", "22.5"), "100", None, False),
])
def test_weights_against_the_printed_total(weights, total, funds_weight, flagged):
    rows = [_row(f"指标{n}", "≥1个", "1个", w, w) for n, w in enumerate(weights)]
    funds = {"funds": Funds(rows=[FundsRow(label="年度资金总额", weight=funds_weight)])} if funds_weight else {}
    found = _findings(_report(*rows, project={"total_weight": total, **funds}), "KPI802")
    assert bool(found) == flagged
    if flagged:
        assert found[0].field == "total_weight" and found[0].indicator_id is None


def test_total_score():
    rows = [_row("培训人数", "≥200人", "210人", "50", "50"), _row("满意度", "≥90%", "89%", "40", "39.5")]
    funds = Funds(rows=[FundsRow(label="年度资金总额", weight="10", score="8.62")])
    assert not _codes(_report(*rows, project={"total_weight": "100", "total_score": "98.12", "funds": funds}))
    found = _findings(_report(*rows, project={"total_weight": "100", "total_score": "99", "funds": funds}), "KPI811")
    assert len(found) == 1 and "98.12" in found[0].message and found[0].field == "total_score"
    # more points than the rows read, and the weights do not account for every item: not judged
    assert not _codes(_report(*rows, project={"total_score": "99.5"}), "KPI811")


# ---------------------------------------------------------------- the funds block


def test_funds_findings_point_at_the_cell():
    funds = Funds(rows=[FundsRow(label="年度资金总额", adjusted="55", executed="50", rate="100%",
                                 pos=Position(line=7, column=1),
                                 positions={"rate": Position(line=7, column=30)})])
    found = _findings(FileReport(path="t", projects=[Project(name="p", funds=funds)]), "KPI807")
    assert len(found) == 1 and found[0].field == "funds[0].rate"
    assert (found[0].pos.line, found[0].pos.column) == (7, 30) and "91%" in found[0].message


def test_nested_sub_rows_are_not_summed():
    report = _funds_report(("年度资金总额", "55", "55", "55", "100%", "10", "10"),
                           ("其中：财政拨款", "45", "45", "45", None, None, None),
                           ("其中：中央补助", "30", "30", "30", None, None, None))
    assert "KPI607" not in _codes(report)


def test_funds_score_without_and_with_a_printed_rule():
    # no rule printed: a step rule may give full marks at 86%, or 8 points
    for score in ("10", "8"):
        assert "KPI810" not in _codes(_funds_report(("年度资金总额", "50", "50", "43", "86%", "10", score)))
    # whatever the rule: fully executed yet points deducted, nothing spent yet points given
    assert "KPI810" in _codes(_funds_report(("年度资金总额", "50", "50", "50", "100%", "10", "8")))
    assert "KPI810" in _codes(_funds_report(("年度资金总额", "50", "50", "0", "0%", "10", "2")))
    # printed: 得分=预算执行率×分值
    rule = "预算执行率得分=预算执行率×分值"
    assert "KPI810" in _codes(_funds_report(("年度资金总额", "50", "50", "43", "86%", "10", "10"), rule=rule))
    assert "KPI810" not in _codes(_funds_report(("年度资金总额", "50", "50", "43", "86%", "10", "8.6"), rule=rule))


def test_overspending_reported_once_per_block():
    found = _findings(report_of(_doc("h071")), "KPI608")
    assert len(found) == 1 and found[0].field == "funds[0].rate"


# ---------------------------------------------------------------- findings carry the row


def test_findings_show_the_self_evaluation_row_in_english():
    found = _findings(_report(_row("Training places", "≥200人", "150人", "10", "10")), "KPI803", lang="en")
    assert found and "full marks 10/10" in found[0].message
    assert found[0].indicator == {"name": "Training places", "value": "≥200人", "actual": "150人",
                                  "score": "10", "weight": "10"}


def test_a_target_table_without_self_evaluation_fields_is_untouched():
    ind = Indicator(id="i", name="培训人数", value="≥200人", declared_level1="产出")
    understand([ind])
    report = FileReport(path="t", indicators=[ind], projects=[Project(name="p")])
    assert not run_rules(report, Config(select=["KPI8"]))
    found = run_rules(report, Config(select=["KPI"]))
    assert all(f.field is None and set(f.indicator) == {"name", "value"} for f in found if f.indicator)


def test_two_blocks_are_not_summed_as_one():
    # 长期 and 年度 blocks under one printed total: which rows it sums cannot be told
    rows = [_row("培训人数", "≥200人", "210人", "60", "60", period=period) for period in ("long_term", "annual")]
    assert not _codes(_report(*rows, project={"total_weight": "60", "total_score": "60"}))
    # two funds blocks, each with its total (预算 and 使用情况): the rows are not one partition
    report = _funds_report(("年度金额", None, "208", None, None, None, None),
                           ("中央财政", None, "165", None, None, None, None),
                           ("合计", None, None, "109.8", None, None, None),
                           ("中央财政", None, None, "84.5", None, None, None))
    assert "KPI607" not in _codes(report)
