"""A self-evaluation whose PDF text prints every row's figures first and the names after them
(上海市普陀区 2022 财政项目支出绩效自评表, shared corpus h062) is paired back in order
(kpicheck/segment/columnwise.py); a table that prints each name beside its figures is not."""
from __future__ import annotations

from kpicheck.api import extract_text
from kpicheck.read.text import text_to_document
from kpicheck.segment import columnwise
from kpicheck.segment.atoms import atomize

DUMP = ("财政项目支出绩效自评表 (2022 年度) 普陀体育中心与委托运营方结 算费用 项目名称 主管部门 上海市普陀区体育局 "
        "一级指标 二级指标 数量指标 三级指标 与委托运营方结算完成 年度 指标值 实际 完成值 分值 得分 "
        "=100% 100% 10 10 =100% 100% 20 20 及时 及时 20 20 =100% 100% 30 30 >=90% 100% 10 10 100 98.62 率 "
        "产出指标 质量指标 绩 效 指 标 时效指标 效益指标 社会效益指标 合同结算条款完成率 费用结算及时性 "
        "与委托运营方合同完成 率 满意度指标 服务对象满意度指标 场馆开放满意度 总分 -1- 偏差原因分析及 改进措施\n")


def test_figures_printed_before_the_names_are_paired_in_order():
    rows = [(i.name, i.value, i.actual, i.weight, i.score, i.declared_level2)
            for i in extract_text(DUMP).files[0].indicators]
    assert rows == [
        ("与委托运营方结算完成率", "=100%", "100%", "10", "10", "数量"),  # '率' joined back
        ("合同结算条款完成率", "=100%", "100%", "20", "20", "质量"),
        ("费用结算及时性", "及时", "及时", "20", "20", "时效"),
        ("与委托运营方合同完成率", "=100%", "100%", "30", "30", "社会效益"),
        ("场馆开放满意度", ">=90%", "100%", "10", "10", "服务对象满意度"),
    ]


def test_names_beside_their_figures_are_no_dump():
    text = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标 数量指标 与委托运营方结算完成率 =100% 100% 10 10\n"
            "质量指标 合同结算条款完成率 =100% 100% 20 20\n"
            "时效指标 费用结算及时性 及时 及时 20 20\n")
    atoms, _ = atomize(text_to_document(text, "t.txt"))
    roles = ["l1", "l2", "name", "value", "actual", "weight", "score"]
    assert columnwise.read(atoms, 0, len(atoms), roles) is None
    assert [i.name for i in extract_text(text).files[0].indicators] == [
        "与委托运营方结算完成率", "合同结算条款完成率", "费用结算及时性"]
