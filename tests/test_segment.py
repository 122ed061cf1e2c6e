"""Segmentation: one small fixture per layout family, plus the seeds end to end."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kpicheck.api import check_text, extract_text
from kpicheck.read import read_document
from kpicheck.read.text import text_to_document
from kpicheck.segment import segment
from kpicheck.segment.cells import split_name_value, value_score
from kpicheck.segment.labels import fold_level1, fold_level2, parse_label

FIXTURES = Path(__file__).parent / "fixtures" / "segment"
ROOT = Path(__file__).resolve().parent.parent


def rows(name: str) -> list[tuple]:
    ex = segment(read_document(FIXTURES / name))
    return [(i.period, i.declared_level1, i.declared_level2, i.name, i.value) for i in ex.indicators]


def test_labels_fold_regional_and_traditional_names():
    assert fold_level1("产出目标") == "产出"
    assert fold_level1("效果指标") == "效益"
    assert fold_level1("产 出 指 标 (50分)") == "产出"
    assert fold_level1("成本指标(0-20)分") == "成本"
    assert fold_level2("环境效益指标") == "生态效益"
    assert fold_level2("进度指标") == "时效"
    assert fold_level2("社会公众或服务对象满意度指标") == "服务对象满意度"
    assert fold_level2("可持续发展影响指标") == "可持续影响"
    assert fold_level2("經(jīng)濟(jì)效益指標(biāo)") == "经济效益"
    assert parse_label("社保卡补卡换卡数量") is None
    assert parse_label("质量") is None  # a bare short stem is a name, not a label


def test_cells_value_likeness_and_split():
    assert value_score("≥95%") == 3.0
    assert value_score("2023年12月31日前") >= 2.0
    assert value_score("维护硬件软件设备需用资金") == 0.0
    assert split_name_value("参保人员满意度100%") == ("参保人员满意度", "100%")
    assert split_name_value("人员素质高，工作积极主动") == ("人员素质高，工作积极主动", "")


def test_tab_two_group_rows_with_shifted_cells():
    got = rows("tab_two_group.txt")
    assert ("long_term", "产出", "数量", "培训人数", "200人") in got
    assert ("annual", "产出", "数量", "培训人数", "50人") in got
    # a continuation row whose cells moved one column left still splits into both groups
    assert ("long_term", "产出", "质量", "劳务费", "3.5万元") in got
    assert ("annual", "产出", "质量", "劳务费", "1.2万元") in got
    assert ("annual", "效益", "社会效益", "就业带动人数", "≥10人") in got
    assert len(got) == 8  # the signature row is not an indicator


def test_pipe_cell_stream_inherits_categories_and_skips_empty_groups():
    got = rows("pipe_cell.txt")
    assert got == [
        ("annual", "产出", "数量", "养护道路里程", "≥12公里"),
        ("annual", "产出", "数量", "路面修复面积", "≥800平方米"),
        ("annual", "产出", "成本", "控制在预算成本内", "30万"),
        ("annual", "满意度", "服务对象满意度", "沿线群众满意度", "≥90%"),
    ]


def test_space_row_joins_comparator_value_unit_and_keeps_direction():
    ex = segment(read_document(FIXTURES / "space_row.txt"))
    assert [(i.name, i.value, i.direction) for i in ex.indicators] == [
        ("检查次数", "=12次", "正向"),
        ("整改完成率", "≥95%", "正向"),
        ("检查总成本", "≤2万元", "反向"),
    ]


def test_flat_rows_split_by_labels_and_values():
    got = rows("flat.txt")
    assert got[0] == ("annual", "产出", "数量", "改造校舍面积", "1200平方米")
    assert ("annual", "产出", "成本", "建设项目成本控制率", "100%") in got
    assert ("annual", "效益", "可持续影响", "办学条件改善情况", "稳步提高") in got
    assert got[-1] == ("annual", "满意度", "服务对象满意度", "学生家长满意度", "≥90%")


def test_prose_items_wrapped_over_lines():
    got = rows("prose.txt")
    # a space left by a wrapped line is dropped, as the annotation guide reads values
    assert ("long_term", "产出", "数量", "补卡换卡数量", "年增5万张") in got
    assert ("long_term", "效益", "社会效益", "群众办事便利程度", "明显提升") in got
    assert got[-1][3:] == ("持卡人满意度", "达到95%")


def test_traditional_pipe_rows_and_label_used_as_name():
    ex = segment(read_document(FIXTURES / "traditional.txt"))
    inds = ex.indicators
    assert [(i.declared_level1, i.declared_level2, i.name, i.value) for i in inds] == [
        ("产出", "数量", "鑒定案件數量", "120件"),
        ("产出", "质量", "鑒定準確率", "100%"),
        ("产出", "成本", "社會成本指標", "100%"),
    ]
    assert inds[0].value_type == "定量"
    assert (inds[0].line, inds[0].column) == (2, 15)


def test_multi_year_columns_take_the_current_year():
    text = (
        "\t一级指标\t二级指标\t三级指标\t近两年\t指标值\t预期当年实\t指标值确定依据\n"
        "\t\t\t\t2021年\t2022年\t现值\t\n"
        "\t产出指标\t数量指标\t持卡人数\t1000万\t1100万\t1200万人\t计划标准\n"
    )
    ex = segment(text_to_document(text))
    assert [(i.name, i.value) for i in ex.indicators] == [("持卡人数", "1200万人")]


def test_self_evaluation_takes_the_target_not_actual_or_score():
    text = (
        "| 一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 |\n"
        "| 产出指标 | 数量指标 | 补助种植面积 | 20 | 29.5亩 | 28亩 | 18 |\n"
        "| 其中桃树种植面积 | 1.5亩 | 1.5亩 | |\n"
    )
    ex = segment(text_to_document(text))
    assert [(i.name, i.value) for i in ex.indicators] == [("补助种植面积", "29.5亩"), ("其中桃树种植面积", "1.5亩")]


def test_ids_are_stable_and_in_document_order():
    ex = segment(read_document(FIXTURES / "flat.txt"))
    assert [i.id for i in ex.indicators] == [f"I{n:04d}" for n in range(1, 6)]


def test_narrative_without_tables_yields_nothing():
    ex = segment(text_to_document("本单位2023年预算收入301.98万元，支出301.98万元。\n主要用于人员经费和日常运转。"))
    assert ex.indicators == []


SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = Path("/work/shared/gold/seeds")


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_seeds_end_to_end(path):
    ex = segment(read_document(path))
    assert len(ex.indicators) >= 20
    assert all(i.name for i in ex.indicators)
    assert ex.budget_year in (2021, 2023)
    gold_file = GOLD / f"{path.stem}.json"
    if not gold_file.exists():
        return
    sys.path.insert(0, "/work/shared/eval")
    from score import match_indicators  # the evaluation's own matcher

    gold = json.loads(gold_file.read_text(encoding="utf-8"))["indicators"]
    pred = [i.model_dump() for i in ex.indicators]
    matched = match_indicators(gold, pred)
    # floors measured on the one parser (benchmarks/README.md): 002's wide, wrapped grid keeps
    # four rows out of reach (0.93); every other seed reads at least 0.97
    assert len(matched) / len(gold) >= 0.92
    assert len(matched) / len(pred) >= 0.9


# Layout-robustness fixes: the same indicators in the layouts other units use (invented rows).
def _rows(text):
    from kpicheck.api import extract_text

    f = extract_text(text).files[0]
    return [(i.project, i.declared_level1, i.name, i.value) for i in f.indicators]


def test_next_tables_title_ends_the_table_above():
    block = "项目支出绩效目标表\n项目名称\t{p}\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t{n}\t{v}\n"
    text = block.format(p="乡村道路养护", n="养护里程", v="≥25公里") + "\n" + block.format(p="农村饮水维修", n="维修处数", v="≥10处")
    assert _rows(text) == [("乡村道路养护", "产出", "养护里程", "≥25公里"), ("农村饮水维修", "产出", "维修处数", "≥10处")]


def test_prose_date_values_start_at_their_year():
    rows = _rows("数量指标：保洁员人数≥30人；时效指标：补助发放时间2024年6月31日前。数量指标：2023年新增就业人数≥500人。")
    assert [(n, v) for _, _, n, v in rows] == [("保洁员人数", "≥30人"), ("补助发放时间", "2024年6月31日前"),
                                             ("2023年新增就业人数", "≥500人")]


def test_one_cell_per_line_tables_of_two_projects():
    def form(project, name, value):
        return ["项目名称", project, "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", name, value]
    cells = form("乡村道路养护", "养护里程", "≥25公里") + form("农村饮水维修", "维修处数", "≥10处")
    assert _rows("\n\n".join(cells)) == [("乡村道路养护", "产出", "养护里程", "≥25公里"),
                                         ("农村饮水维修", "产出", "维修处数", "≥10处")]


def test_one_header_row_of_category_and_value_pairs():
    text = ("产出指标\t指标值\t效益指标\t指标值\t满意度指标\t指标值\n"
            "养护道路里程\t≥25公里\t道路通行条件改善\t明显改善\t村民满意度\t≥90%\n"
            "养护桥梁数\t3座\t\t\t\t")
    assert [(l1, n, v) for _, l1, n, v in _rows(text)] == [
        ("产出", "养护道路里程", "≥25公里"), ("效益", "道路通行条件改善", "明显改善"), ("满意度", "村民满意度", "≥90%"),
        ("产出", "养护桥梁数", "3座")]


def test_workbook_with_two_project_forms(tmp_path):
    openpyxl = __import__("pytest").importorskip("openpyxl")
    from kpicheck.api import extract_file

    wb = openpyxl.Workbook()
    for row in [["项目名称", "乡村道路养护"], ["年度资金总额(万元)", 40], ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "养护里程", "≥25公里"], [],
                ["项目名称", "农村饮水维修"], ["年度资金总额(万元)", 20], ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "维修处数", "≥10处"]]:
        wb.active.append(row)
    wb.save(tmp_path / "two.xlsx")
    f = extract_file(tmp_path / "two.xlsx").files[0]
    assert [(p.name, p.budget_wan) for p in f.projects] == [("乡村道路养护", 40.0), ("农村饮水维修", 20.0)]
    assert [(i.name, i.project, i.pos.cell) for i in f.indicators] == [
        ("养护里程", "乡村道路养护", "C4"), ("维修处数", "农村饮水维修", "C9")]


def test_magnitude_units_in_their_own_column_join_the_value():
    text = ("一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\n"
            "产出指标\t数量指标\t受理来电数量\t≥\t5\t万件\n\t\t话务外包费用\t≤\t19.6\t万")
    assert [(n, v) for _, _, n, v in _rows(text)] == [("受理来电数量", "≥5万件"), ("话务外包费用", "≤19.6万")]


def test_cost_label_after_satisfaction_is_the_2021_first_level_and_printed_first_levels_stay():
    from kpicheck.api import check_text

    text = ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t养护里程\t≥25公里\n"
            "效益指标\t社会成本指标\t惠及沿线群众\t≥3000人\n满意度指标\t服务对象满意度指标\t村民满意度\t≥90%\n"
            "成本指标\t\t养护经费\t≤40万元\n")
    f = check_text(text).files[0]
    assert [(i.name, i.declared_level1, i.declared_level2) for i in f.indicators] == [
        ("养护里程", "产出", "数量"), ("惠及沿线群众", "效益", "社会成本"),
        ("村民满意度", "满意度", "服务对象满意度"), ("养护经费", "成本", None)]
    codes = {x.code for x in f.findings}
    assert "KPI204" in codes and "KPI101" not in codes  # 社会成本 under 效益 reported; 效益 is there


def test_ocr_unit_cell_after_its_number_and_debris_in_the_value():
    """OCR splits '1100万人' over two cells where the header has no 计量单位 column, and leaves
    debris ('\\$') in a value cell: the unit joins the value, the debris is ignored."""
    from kpicheck.api import check_text

    text = ("一级指标\t二级指标\t三级指标\t指标值\t依据\n"
            "产出指标\t数量指标\t服务参保人群\t1100\t万人\t计划标准\n"
            "\t\t服务参保对象\t1100 \\$\t余万人\t计划标准\n")
    f = check_text(text).files[0]
    assert [(i.name, i.value) for i in f.indicators] == [("服务参保人群", "1100万人"), ("服务参保对象", "1100\\$余万人")]
    assert [i.parsed.base_number for i in f.indicators] == [1.1e7, 1.1e7]
    assert not [x for x in f.findings if x.code == "KPI502"]  # the unit is there


def test_prose_statement_ending_in_a_grade_or_time_word_splits_there():
    rows = _rows("产出指标：质量指标：工资发放情况按时；工程验收合格。效益指标：可持续影响指标：生态修复功能提高。")
    assert [(n, v) for _, _, n, v in rows] == [("工资发放情况", "按时"), ("工程验收", "合格"),
                                             ("生态修复功能提高", "生态修复功能提高")]


def test_wide_row_cut_short_keeps_a_text_value_in_its_own_column():
    head = "产出指标\t\t效益指标\t\t满意度指标\n三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值\n"
    assert [(l1, n, v) for _, l1, n, v in _rows(head + "设备使用情况\t使用率高")] == [("产出", "设备使用情况", "使用率高")]
    assert [(l1, n, v) for _, l1, n, v in _rows(head + "网络专线一条\t1条\t提升经办速度\t群众满意度高")] == [
        ("产出", "网络专线一条", "1条"), ("效益", "提升经办速度", "群众满意度高")]


def test_a_text_that_stops_inside_its_last_value_is_truncated_and_that_value_not_judged():
    from kpicheck.api import check_text

    table = ("一级指标\t二级指标\t三级指标\t指标值\n"
             "产出指标\t数量指标\t救助人数\t≥80人\n"
             "效益指标\t社会效益指标\t受益人口数\t≥87人\n"
             "满意度指标\t服务对象满意度指标\t受助对象满意度\t")
    cut = check_text(table + ">=9").files[0]
    assert cut.truncated is True
    assert not [f for f in cut.findings if f.code == "KPI502"]
    whole = check_text(table + ">=90%\n合计\t100\n").files[0]
    assert whole.truncated is False


def test_a_pipe_row_whose_cell_wraps_onto_the_next_line_is_one_row_with_exact_positions():
    from kpicheck.api import extract_text

    text = ("|一级指标|二级指标|三级指标|指标值|\n"
            "|产出指标|数量指标|培训人数|≥100人|\n"
            "|产出指标|质量指标|四条专线\n"
            "维护费用达标率|≥95%|\n"
            "|效益指标|社会效益指标|学员就业率|≥80%|\n")
    inds = extract_text(text).files[0].indicators
    assert [(i.name, i.value) for i in inds] == [
        ("培训人数", "≥100人"), ("四条专线维护费用达标率", "≥95%"), ("学员就业率", "≥80%")]
    wrapped = inds[1]
    assert (wrapped.pos.line, wrapped.pos.column) == (3, 12)
    assert (wrapped.positions["value"].line, wrapped.positions["value"].column) == (4, 9)


def test_one_cell_per_line_pipe_layouts_are_not_joined():
    from kpicheck.segment.atoms import _wrapped_pipe_rows

    lines = ["| 一级指标", "| 二级指标", "项目决策", "| 数量指标", "| 宣传次数", "| ≥2次", "| ||"]
    assert _wrapped_pipe_rows(lines) == {}


def test_a_headerless_row_with_one_number_after_the_actual_gives_it_to_the_weight():
    """分值 is printed before 得分: a row that prints only one of them, with no heading to say
    which, fills the earlier column on every row alike (the h061 layout, words invented)."""
    from kpicheck.api import extract_text

    text = ("道口巡查及时率 | = | 100 | % | 100 | 5 |\n|\n| |||\n"
            "成本指标 | 巡查车辆租赁成本 | = | 6 | 万元 | 6 | 5 |\n|\n| ||\n"
            "标识更换成本 | = | 5 | 万元 | 5 | 5 |\n|\n| |||\n"
            "围栏维修成本 | = | 4 | 万元 | 4 | 5 |\n|\n| |||\n"
            "效益指标 | 社会效益指标 | 沿线隐患整改率 | ≥ | 90 | % | 93 | 10 |\n|\n| |\n")
    inds = extract_text(text).files[0].indicators
    assert [(i.name, i.actual, i.weight, i.score) for i in inds] == [
        ("道口巡查及时率", "100", "5", None), ("巡查车辆租赁成本", "6", "5", None),
        ("标识更换成本", "5", "5", None), ("围栏维修成本", "4", "5", None),
        ("沿线隐患整改率", "93", "10", None)]


def test_letter_spaced_labels_glued_to_the_next_cell_are_read_as_labels():
    """'产 出 指 标数 量 指 标新建…': a table printed with no separators and its labels spaced
    out; the last character of each label is glued to the next cell."""
    from kpicheck.segment.atoms import _pieces

    assert [p[0] for p in _pieces("产 出 指 标数 量 指 标新建冷库数量2座", False)] == ["产出指标数量指标新建冷库数量2座"]
    # a cell that follows a spaced-out name after one space stays a cell of its own
    assert [p[0] for p in _pieces("社 会 保 障 卡 申 领 批量制卡29个工作日", False)] == ["社会保障卡申领", "批量制卡29个工作日"]


def test_a_unit_printed_with_what_it_measures_in_brackets_is_a_unit():
    from kpicheck.segment.roles import unit_score

    assert unit_score("%(百分比)") > 2 and unit_score("人（人数）") > 2
    assert unit_score("(百分比)") < 0 and unit_score("满意度(%)") < 0


def test_a_category_label_torn_by_a_space_is_no_name_heading():
    """'产出 指标' in a cell of its own: the '指标' ends the category label begun before it and is
    no 指标 (三级) heading (c019's layout opened a second name column there)."""
    from kpicheck.segment.atoms import atomize
    from kpicheck.segment.template import _field_at

    atoms, _ = atomize(text_to_document("三级指标\n|\n指标值\n|\n产出 指标\n|\n数量指标\n"))
    torn = next(k for k, a in enumerate(atoms) if a.text == "指标")
    assert atoms[torn - 1].text == "产出"
    assert _field_at(atoms, torn) is None
    assert _field_at(atoms, 0).role == "name"


def test_a_prose_report_that_prints_heading_words_between_name_and_figure_is_read_as_rows():
    """'…补助标准指标值1000元/生.年,全年实际完成值1000元/生.年': a self-evaluation report in
    prose that prints a table's row with its heading words (words invented)."""
    from kpicheck.api import extract_text

    text = ("项目绩效自评报告\n产出指标完成情况。一是数量指标:2023年,我校享受困难学生补助学生人次620人次,实际发放620人次。"
            "二是时效指标:补助资金按学期发放。三是成本指标:困难学生走读生人均补助标准指标值600元/生.年,"
            "全年实际完成值600元/生.年;困难学生住校生人均补助标准指标值1200元/生.年,全年实际完成值1100元/生.年。\n")
    inds = extract_text(text).files[0].indicators
    assert [(i.name, i.value, i.actual) for i in inds if "标准" in i.name] == [
        ("困难学生走读生人均补助标准", "600元/生.年", "600元/生.年"),
        ("困难学生住校生人均补助标准", "1200元/生.年", "1100元/生.年")]


def test_a_scoring_rule_is_no_target():
    """评(扣)分标准 text ('得10分', '每少1元扣1分-定量') marks no target: a junk kind of its own, and
    where it is run into a description the piece is cut before it."""
    from kpicheck.segment.roles import glue_cuts, junk_kind

    assert junk_kind("每降低1%扣1分-定性") == "scoring" and junk_kind("得10分") == "scoring"
    assert junk_kind("绩效评价得分") is None and junk_kind("≥90分") is None
    word = "反映受助学生人数按标准发放得10分"
    assert word.index("得10分") in glue_cuts(word)


def test_headings_whose_brackets_are_part_of_the_word():
    from kpicheck.segment.roles import header_role

    assert header_role("评(扣分标准)") == "note" and header_role("评(扣)分标准") == "note"
    assert header_role("指标值内容") == "desc"
    assert header_role("分值(10)") == "weight"  # a bracketed note is still dropped


def test_a_row_that_prints_its_name_last_is_named_by_it_not_by_its_label():
    """No heading; each row prints its labels, the comparator, the target, the direction and
    only then the name (columns in another order): the name is the last text, not 数量指标."""
    from kpicheck.api import extract_text

    text = ("林业保护项目支出绩效目标表（2022年度）\n"
            "产出指标  数量指标  =  116人  正向  护林员聘用人数(人)\n"
            "产出指标  数量指标  =  6万立方米  正向  林木采伐监管量(万立方米)\n"
            "产出指标  数量指标  =  320万亩  正向  森林防火巡查面积(万亩)\n")
    inds = extract_text(text).files[0].indicators
    assert [(i.declared_level2, i.name, i.value) for i in inds] == [
        ("数量", "护林员聘用人数(人)", "=116人"), ("数量", "林木采伐监管量(万立方米)", "=6万立方米"),
        ("数量", "森林防火巡查面积(万亩)", "=320万亩")]


def test_an_attribute_word_run_into_a_value_is_cut_off():
    from kpicheck.segment.roles import glue_cuts

    def pieces(word):
        cuts = (0,) + glue_cuts(word) + (len(word),)
        return [word[a:b] for a, b in zip(cuts, cuts[1:])]

    assert pieces("办公网络专线一条正向") == ["办公网络专线一条", "正向"]
    assert "正向" in pieces("发放(缴纳)覆盖率=100%正向63")
    assert pieces("正向指标") == ["正向指标"]


def _documents_to_parse():
    return [read_document(p) for p in sorted(FIXTURES.glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))]


def test_no_recognizer_scores_above_the_cap_the_parse_prunes_by():
    """`tableparse` skips scoring a field whose best possible value, with `roles.MAX_SCORE` for
    its text, cannot beat a reading already found: a score above the cap would make it inexact."""
    from kpicheck.segment import roles as R
    from kpicheck.segment.atoms import atomize
    from kpicheck.segment.tableparse import _scorer, joined

    scorers = {_scorer(role, declared) for role in R.SCORERS.keys() | {"l1", "l2"} for declared in (True, False)}
    best = R.NEG
    for doc in _documents_to_parse():
        atoms, _ = atomize(doc)
        for i in range(len(atoms)):
            for j in range(i + 1, min(len(atoms), i + 3) + 1):
                text = joined(atoms, i, j)
                best = max(best, max(score(text) for score in scorers))
    assert best == R.MAX_SCORE  # reached (a label of its level), never passed


def test_the_pruned_parse_reads_what_the_full_parse_reads(monkeypatch):
    from kpicheck.segment import tableparse

    scored = []
    fits = tableparse._fits
    monkeypatch.setattr(tableparse, "_fits", lambda *args: scored.append(args[0]) or fits(*args))

    def read_all() -> tuple[list, int]:
        scored.clear()
        out = [segment(doc).model_dump() for doc in _documents_to_parse()]
        return out, len(scored)

    pruned, pruned_texts = read_all()
    monkeypatch.setattr(tableparse, "_PRUNE", False)
    full, full_texts = read_all()
    assert pruned == full
    assert pruned_texts < full_texts * 0.8  # and it prunes: fewer texts scored


def test_rows_under_a_project_form_are_its_indicators_whatever_their_targets_look_like():
    """No heading, no label, targets mostly in words: under the form (项目名称 … 年度绩效目标),
    lines of a name and a target are read, one of them marking a target (%, ≤)."""
    from kpicheck.api import extract_text

    text = ("档案数字化项目支出绩效目标表（2023年度）\n| 项目名称 | 档案数字化 |\n| 主管部门 | 县档案馆 |\n"
            "| 年度资金总额（万元） | 40 |\n| 年度绩效目标 | 按计划完成档案数字化各项任务。 |\n"
            "| 馆藏档案数字化数量 | 全年新增扫描档案3万页 |  |\n"
            "| 数字化成果质量 | 图像合格率99%以上 |  |\n"
            "| 数字化工作完成时间 | 年底以前全部完成 |  |\n"
            "| 数字化成本 | ≤400000 | 元 |\n")
    names = [i.name for i in extract_text(text).files[0].indicators]
    assert names[:3] == ["馆藏档案数字化数量", "数字化成果质量", "数字化工作完成时间"]


def test_review_fixes_for_words_that_end_a_longer_word_and_bracketed_notes():
    from kpicheck.segment.roles import glue_cuts, header_role

    assert glue_cuts("系统运行稳定性") == ()  # 定性 ends 稳定性 here: no attribute cell
    assert header_role("分值(扣分标准)") == "weight" and header_role("得分（扣分原因）") == "score"


def test_a_prose_statement_under_its_label_is_its_own_indicator():
    # 同心县 2023 绩效目标设定公示 (shared corpus h014): two effects stated in words, each its own target
    text = ("二、 效益指标\n效益指标:经济效益指标:脱贫地区特色产业产值(≥**万元)≥80万元,促使脱贫户、监测户增加收入"
            "(≥**万元)≥80万元;社会效益目标:★★★受益脱贫户、监测户人口数(≥**户)≥10户。生态效益指标:生态修复功能提高。"
            "可持续影响指标,持续发展。\n三、 满意度指标\n服务对象满意度指标,受益脱贫户满意度(≥**%)≥95%。\n")
    found = {i.name: i for i in extract_text(text).files[0].indicators}
    assert found["生态修复功能提高"].value == "生态修复功能提高"
    assert found["持续发展"].value == "持续发展" and found["持续发展"].declared_level2 == "可持续影响"
    assert "可持续影响指标" not in found  # the label is the category, not the name


def test_a_funds_block_printed_one_cell_per_line_is_read():
    # 濉溪县 2019 临时救助 绩效目标自评表 (shared corpus h080): its own row label (年度资金总额) does
    # not close the block as it closes an indicator table
    text = ("项目名称 |\n临时救助 |\n资金情况(万元) |\n|\n全年预算数(A) |\n全年执行数(B) |\n分值 |\n执行率(B/A) |\n得分 |\n"
            "||\n|\n年度资金总额: |\n30 |\n30 |\n10 |\n100% |\n10 |\n||\n|\n其中:本年财政拨款 |\n30 |\n30 |\n10 |\n"
            "100% |\n10 |\n||\n|\n其他资金 |\n|\n|\n|\n|\n|\n||\n年度总体目标 |\n")
    project = extract_text(text).files[0].projects[0]
    total = project.funds.rows[0]
    assert (total.label, total.adjusted, total.executed, total.rate, total.weight, total.score) == \
        ("年度资金总额:", "30", "30", "100%", "10", "10")


def test_the_number_of_a_list_item_is_no_row():
    from kpicheck.segment import roles as R

    assert R.junk_kind("2、") == R.junk_kind("1.") == "punct"  # '1.数量指标。…', '2、质量指标'
    assert R.junk_kind("2.5") is None and R.junk_kind("12") is None  # figures stay figures


def test_a_mirrors_pinyin_glosses_are_looked_through():
    # 黄冈市 2020 水土保持监测 绩效自评表 on a document-sharing mirror (collected c027): traditional
    # characters, a pinyin gloss after some of them, every cell run together
    text = ("年度績(jī)效目標(biāo)1(40分)一級指標(biāo)二級指標(biāo)三級指標(biāo)年初目標(biāo)值(A)實(shí)際完成值(B)得分"
            "產(chǎn)出指標(biāo)質(zhì)量指標(biāo)監(jiān)測數(shù)據(jù)必須合格100%100%10進(jìn)度指標(biāo)取得2018-2022\n"
            "2、監(jiān)測資料100%100%10效益指標(biāo)滿意度指標(biāo)服務(wù)對象滿意度指標(biāo)整編資料審核98%98%19.6\n")
    found = [(i.name, i.value) for i in extract_text(text).files[0].indicators]
    # the names as printed, glosses and all (the gold keeps them), each with its target
    assert ("監(jiān)測數(shù)據(jù)必須合格", "100%") in found
    assert ("整編資料審核", "98%") in found
    # the cut after a label falls after its last character's gloss, not inside it
    from kpicheck.segment import roles as R

    word = "產(chǎn)出指標(biāo)質(zhì)量指標(biāo)監(jiān)測"
    assert word.index("質") in R.glue_cuts(word) and word.index("監") in R.glue_cuts(word)


def test_a_thousands_separator_stays_inside_its_number():
    # values keep their grouping as printed (h062's '215,457.6', seed 004's '1,236.74万元');
    # a comma between two items still separates them
    text = ("一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 培训人次 ≥1,200人次\n"
            "产出指标 成本指标 设备购置成本 ≤1,236.74万元\n产出指标 数量指标 发放补贴户数 3,500户,覆盖率100%\n")
    found = [(i.name, i.value) for i in extract_text(text).files[0].indicators]
    assert found == [("培训人次", "≥1,200人次"), ("设备购置成本", "≤1,236.74万元"),
                     ("发放补贴户数", "3,500户"), ("覆盖率", "100%")]


def test_a_unit_cell_that_says_none_is_not_appended_to_the_value():
    # 南县住房保障服务中心 2024 (湖南, PIPE-ROW): a 定性 row prints 无 under 度量单位
    text = ("一级指标 | 二级指标 | 三级指标 | 指标值类型 | 目标值 | 度量单位 | 指标值内容 | 备注 |\n"
            "产出指标 | 数量指标 | 门面数量 | = | 9 | 间数 | 考察国有资产出租收入任务完成数 | |\n"
            "质量指标 | 以合理的市场价出租 | 定性 | 保障 | 无 | 考察国有资产出租的可利用价值 | ||\n")
    found = [(i.name, i.value) for i in extract_text(text).files[0].indicators]
    assert found == [("门面数量", "=9间数"), ("以合理的市场价出租", "保障")]


def test_a_prose_report_keys_its_target_and_actual_inline():
    # the phrasing of prose self-evaluation reports (constructed in their words): the target
    # after 年初目标值 or 指标值为 (quoted), the actual after 实际完成值; a name ending in
    # 满意度 keeps it before the heading 指标值
    text = ("三、绩效指标完成情况\n"
            "1.产出指标。数量指标:维修校舍面积,年初目标值1200平方米,实际完成值1250平方米。"
            "质量指标:工程验收合格率,年初目标值100%,实际完成值100%。\n"
            "2.满意度指标:周边群众满意度指标值为“≥90%”,全年实际完成值为“96%”。\n")
    found = [(i.name, i.value, i.actual) for i in extract_text(text).files[0].indicators]
    assert found == [("维修校舍面积", "1200平方米", "1250平方米"), ("工程验收合格率", "100%", "100%"),
                     ("周边群众满意度", "≥90%", "96%")]


def test_a_heading_word_between_two_figures_is_no_unit():
    # 昌宁县珠街彝族乡中心学校 2023 自评报告 (云南, prose): the actual's key 实际发放 is a heading,
    # never the unit of the target before it
    text = ("昌宁县珠街彝族乡中心学校2023年度项目支出绩效自评报告\n产出指标完成情况。一是数量指标:2023年,我校享受义务教育阶段家庭经济困难学生生活补助学生人次940人次,"
            "实际发放940人次。\n")
    found = [(i.value, i.actual) for i in extract_text(text).files[0].indicators]
    assert found == [("940人次", "940人次")]


def test_a_prose_sentence_that_states_the_outcome_is_the_actual_of_the_target_before_it():
    # 云南省应急管理厅 2022 中央自然灾害资金绩效自评报告 (prose): '实际飞行时长909.93小时' is no
    # indicator of its own; an actual's key is never a unit ('≥6架,实际布防6架')
    text = ("云南省2022年度中央自然灾害资金绩效自评报告\n"
            "数量指标:布防飞机数量≥6架,实际布防6架;飞机飞行时长≥928小时,实际飞行时长909.93小时。\n")
    found = [(i.name, i.value, i.actual) for i in extract_text(text).files[0].indicators]
    assert found == [("布防飞机数量", "≥6架", "6架"), ("飞机飞行时长", "≥928小时", "909.93小时")]



def test_words_printed_down_a_merged_cell_are_read_as_one():
    # 汉阴县 2022 普惠金融 绩效目标表 (陕西, one cell per line): '产/出/指/标' down a merged cell is
    # the label 产出指标, read (coverage) and not scraps
    text = ("一级\n指标\n二级指标\n三级指标\n指标值\n产\n出\n指\n标\n数量指标\n本年度创业担保贷款发放额\n"
            "4000万元\n质量指标\n创业担保贷款回收率\n≥90%\n")
    report = check_text(text).files[0]
    assert [(i.declared_level1, i.name, i.value) for i in report.indicators] == [
        ("产出", "本年度创业担保贷款发放额", "4000万元"), ("产出", "创业担保贷款回收率", "≥90%")]
    assert report.coverage == 1.0


def test_a_bounded_figure_ends_the_target_run_into_its_explanation():
    # 湖南 2023 项目支出绩效目标表 (collected c017, run together): name, target, explanation,
    # scoring rule and attribute in one piece; '90%以上' is a whole target
    text = ("产出指标数量指标补助学生数量168反映补助学生人数发放到位得10分,每减少1%,扣1分-定量\n"
            "伙食补助覆盖率90%以上实际领取伙食补助人数/应发放伙食补助人数90%得10分,每减少1%扣1分-定量\n")
    found = [(i.name, i.value) for i in extract_text(text).files[0].indicators]
    assert ("伙食补助覆盖率", "90%以上") in found and ("补助学生数量", "168") in found
    assert not [n for n, _ in found if n.startswith("每")]  # '每减少1%,扣1分' is a scoring rule


def test_a_name_that_states_its_unit_is_no_target():
    # 陈仓区 2021 林业 区域绩效目标申报表 (陕西, an unfilled template, one cell per line): the next
    # row's name '上一轮退耕还林补助面积(万亩)' is not the target of the row before it
    text = (Path(__file__).parent / "data" / "template_c114.txt").read_text(encoding="utf-8")
    found = [(i.name, i.value) for i in extract_text(text).files[0].indicators]
    assert found[0] == ("天保工程实施单位保险参保人数(人)", "")


def test_a_prose_target_that_starts_as_an_outcome_is_kept_when_it_measures_something_else():
    # a prose 绩效目标 (no report): '累计完成植树2000株' is a target of its own, not the actual of
    # '新建道路5公里' (another measure), and nothing is dropped when no target comes before it
    text = "项目绩效目标\n数量指标:新建道路5公里;累计完成植树2000株。\n"
    found = [(i.name, i.value, i.actual) for i in extract_text(text).files[0].indicators]
    assert found == [("新建道路", "5公里", None), ("累计完成植树", "2000株", None)]
    text = "项目绩效目标\n数量指标:实际受益人数500人。\n"
    assert [(i.name, i.value) for i in extract_text(text).files[0].indicators] == [("实际受益人数", "500人")]


def test_single_character_cells_one_a_line_are_no_vertical_word():
    # a table printed one cell a line whose last columns hold one character each (unit 人, 指标方向
    # 正, 是否核心指标 是): the cells stay apart, '人' is the unit of its row's value
    head = ["一级指标", "二级指标", "三级指标", "指标值", "计量单位", "指标方向", "是否核心指标"]
    rows = [("产出指标", "数量指标", "培训人数", "500", "人", "正", "是"),
            ("效益指标", "社会效益指标", "就业人数", "100", "人", "正", "否")]
    text = "\n".join(head + [c for r in rows for c in r]) + "\n"
    values = {i.name: i.value for i in extract_text(text).files[0].indicators}
    assert values["培训人数"] == "500人" and values["就业人数"] == "100人"


def test_an_actual_keeps_the_words_that_qualify_its_figure():
    # an actual cell printed after its key: the key goes ('实际布防6架' → 6架), a comparator or an
    # ordinal before the figure stays ('实际低于90%' is below 90%, '第3阶段' no count of 3)
    text = ("一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 |\n"
            "产出指标 | 数量指标 | 布防飞机数量 | ≥6架 | 实际布防6架 |\n"
            "产出指标 | 质量指标 | 验收合格率 | ≥95% | 实际低于90% |\n"
            "产出指标 | 时效指标 | 完工进度 | 2023年12月底 | 实际完成第3阶段 |\n")
    found = [(i.name, i.actual) for i in extract_text(text).files[0].indicators]
    assert found == [("布防飞机数量", "6架"), ("验收合格率", "实际低于90%"), ("完工进度", "实际完成第3阶段")]
