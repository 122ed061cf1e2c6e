"""A self-evaluation row that prints only '10 10' is read as 分值 and 得分 when the table's weights
say so (kpicheck/segment/weights.py), and stays a target and an actual when they do not.

The form is the 安徽 项目支出绩效自评表 of a 2022 water-conservancy self-evaluation (天长市水利局,
benchmarks/collected/c001.txt), shortened: four rows print target, actual, weight and score;
four print only a weight and a score; the funds block takes 10 of the 100."""
from __future__ import annotations

from kpicheck.api import extract_text

HEAD = """项目支出绩效自评表
(2022年度)
项目名称 水旱灾害防御经费
项目资金
(万元)
年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
年度资金总额: 880 880 880 10 10
年度绩效指标完成情况 一级
指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
产出指标
(50分)
数量指标 指标1:完成中型灌区节水改造项目数量 1 1 20 20
指标2:完成农业综合水价改革项目 1 1 10 10
时效指标 指标1:年度资金支付完成率100% 10 10
成本指标 指标1:资金执行在预算范围内 10 10
效益指标
(30分)
社会效益
指标
指标1:保护全市人口财产不受损失 10 10
可持续影
响指标
指标1:已建工程良性运行 20 20
满意度指标
(10分)
服务对象
满意度指标
指标1:服务对象满意度 90% 100% 10 10
"""


def _rows(text: str) -> dict:
    report = extract_text(text).files[0]
    return {i.name: i for i in report.indicators}


def test_rows_with_only_weight_and_score_are_read_so_when_the_weights_add_up():
    rows = _rows(HEAD + "总分 100 100\n")
    for name, weight in (("资金执行在预算范围内", "10"), ("保护全市人口财产不受损失", "10"),
                         ("已建工程良性运行", "20")):
        row = rows[name]
        assert (row.value, row.actual, row.weight, row.score) == ("", None, weight, weight), name
        assert row.positions["weight"].line < row.positions["score"].line or \
            row.positions["weight"].column < row.positions["score"].column
    # a row shifted by one (an actual '10' against a target '100%') is read the same way
    paid = rows["年度资金支付完成率"]
    assert (paid.value, paid.actual, paid.weight, paid.score) == ("100%", None, "10", "10")
    # the complete rows are untouched
    first = rows["完成中型灌区节水改造项目数量"]
    assert (first.value, first.actual, first.weight, first.score) == ("1", "1", "20", "20")
    assert rows["服务对象满意度"].actual == "100%"


def test_rows_stay_targets_when_no_total_is_met():
    # one row of 15 points: read as weights they would add up to 95, neither 100 nor 100 less 10
    text = HEAD.replace("保护全市人口财产不受损失 10 10", "保护全市人口财产不受损失 15 15")
    rows = _rows(text + "总分 100 100\n")
    row = rows["资金执行在预算范围内"]
    assert (row.value, row.actual, row.weight) == ("10", "10", None)
    assert rows["保护全市人口财产不受损失"].value == "15"


def test_rows_stay_targets_when_no_row_prints_a_weight_and_no_total_is_printed():
    # the 分值 and 得分 columns left empty: bare targets that happen to add up to 100 less the
    # funds block's 10 are targets still (nothing but the coincidence says they are weights)
    text = HEAD.split("年度绩效指标完成情况")[0] + """年度绩效指标完成情况 一级
指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
产出指标
数量指标 养护农村公路里程(公里) 60 58
新建公厕数量(座) 20 20
改造危桥数量(座) 10 9
"""
    rows = _rows(text)
    assert [(r.value, r.actual, r.weight) for r in rows.values()] == [
        ("60", "58", None), ("20", "20", None), ("10", "9", None)]
