"""Never a silent pass: table text the parser could not read is reported (KPI100, `coverage`,
`unread`), and a document kpicheck cannot read never ends in “未发现问题” with exit code 0."""
from __future__ import annotations

import pytest

from kpicheck.api import check_text, extract_text

READABLE = ("一级指标\t二级指标\t三级指标\t指标值\n"
            "产出指标\t数量指标\t培训人数\t≥100人\n"
            "效益指标\t社会效益指标\t学员就业率\t≥80%\n"
            "满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\n")

# A PDF whose text extraction put every value before the names (as real previews do): the
# heading and the labels are there, the rows cannot be put back together.
SCRAMBLED = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 =100% 100% 10 10 =100% 100% 20 20 "
             "及时 及时 20 20 >=90% 100% 10 10 产出指标 质量指标 时效指标 效益指标 社会效益指标 "
             "合同结算条款完成率 费用结算及时性 满意度指标 服务对象满意度指标 场馆开放满意度")

NARRATIVE = "本单位2023年预算收入301.98万元，支出301.98万元。\n主要用于人员经费和日常运转，保障机构正常运行。\n"


def _kpi100(text: str):
    return [f for f in check_text(text).files[0].findings if f.code == "KPI100"]


def test_a_table_read_in_full_has_full_coverage_and_no_kpi100():
    f = extract_text(READABLE).files[0]
    assert len(f.indicators) == 3
    assert f.coverage == 1.0 and f.unread == []
    assert _kpi100(READABLE) == []


def test_a_scrambled_table_is_reported_not_passed():
    f = extract_text(SCRAMBLED).files[0]
    assert f.coverage is not None and f.coverage < 0.6
    found = _kpi100(SCRAMBLED)
    assert len(found) == 1 and found[0].severity == "error"
    assert "未能完整识别绩效指标表" in found[0].message and "第1行" in found[0].message


def test_narrative_without_a_table_has_no_coverage_and_no_kpi100():
    f = extract_text(NARRATIVE).files[0]
    assert f.indicators == [] and f.coverage is None and f.unread == []
    assert _kpi100(NARRATIVE) == []


def test_a_table_whose_rows_are_read_partly_says_which_lines_were_not():
    # the second half of the table lost its row structure: the first rows are read, the rest
    # is reported with its line
    text = READABLE + "效益指标 社会效益指标 ≥95% ≥90% 100% 12个 30人 ≥80% ≥60% 5次 10场 100% ≥500人次 ≥3000元 ≥98%\n"
    f = check_text(text).files[0]
    assert len(f.indicators) >= 3
    assert [u.start_line for u in f.unread] == [5]
    assert any(x.code == "KPI100" and "第5行" in x.message for x in f.findings)


def test_the_command_never_says_no_problems_for_an_unreadable_document(tmp_path):
    from typer.testing import CliRunner

    from kpicheck.cli import app

    path = tmp_path / "scrambled.txt"
    path.write_text(SCRAMBLED, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert "KPI100" in result.output and "未发现问题" not in result.output


# A performance self-evaluation in traditional characters and a layout no heading lexicon knows
# (a real published form: benchmarks/collected/c024.txt): nothing is read, and it says so.
TAIWAN_FORM = ("○○年度 人事處 (差勤管理無紙化,以提昇行政效率及用紙量30%) 績效評核自評報告\n"
               "單位績效 目標 (配分%) | 績效衡量指標 (含案件數、期限、成果等) | 評分標準 | 自我評估報告 |\n"
               "預期 成果 | 執行 成果 | 項目 | 配分 | 自評 | 自評 分數 |\n"
               "縮短差假申請至核准後登錄時間。 (20%) | 預定為8小時 (92年10月完成) | 平均為9小時 (92年9月完成) | "
               "目標之複雜度及挑戰性 | 30 | 26 | 86*20% =17.2 |\n"
               "目標執行進度 | 30 | 25 |\n目標達成度 | 40 | 35 |\n總計 | 100 | 86 |\n"
               "減少是類業務用紙量。 (10%) | 減少用紙量95% (92年9月完成) | 減少用紙量90% (92年10月完成) | "
               "目標之複雜度及挑戰性 | 30 | 23 | 83*10% =8.3 |\n")

BUDGET_ONLY = ("三、绩效目标管理情况\n本单位实行绩效目标管理的项目3个，涉及资金83万元。\n"
               "科目编码\t科目名称\t合计\t一般公共预算\n2080199\t其他支出\t127.56\t127.56\n"
               "2080505\t养老支出\t12.50\t12.50\n2101101\t医疗支出\t3.2\t3.2\n2210201\t住房公积金\t4.47\t4.47\n"
               "2210202\t提租补贴\t1.20\t1.20\n2210203\t购房补贴\t0.8\t0.8\n合计\t\t149.73\t149.73\n")


def test_a_performance_form_nothing_reads_is_unread_not_clean():
    f = extract_text(TAIWAN_FORM).files[0]
    assert f.indicators == [] and f.unread
    assert f.unread[0].start_line == 4  # from the first value in a cell on
    found = _kpi100(TAIWAN_FORM)
    assert len(found) == 1 and "未能读出指标" in found[0].message


def test_a_budget_table_under_a_performance_heading_is_no_unread_table():
    """Amounts are no targets: a document that speaks of 绩效目标 and prints a budget table
    without any indicator table is not reported as an unreadable indicator table."""
    f = extract_text(BUDGET_ONLY).files[0]
    assert f.indicators == [] and f.unread == []
    assert _kpi100(BUDGET_ONLY) == []


# A self-evaluation printed without any separator, its heading run into its first row and no
# category label anywhere (a layout the parser does not read): three headings close together,
# then quantities.
GLUED = ("某局机关项目支出自评表（2023年度）\n"
         "项目名称某局机关\n"
         "年度目标值自评得分指标名称指标描述470人/天7检查差旅费检查差旅费：根据实际完成情况计算\n"
         "320人/天6.6培训费指培训费达到320人/天。\n"
         "17完成时限完成时限：根据实际完成情况计算\n"
         "100%7食安委成员单位食品安全工作齐抓共管反映食安委成员单位食品安全工作齐抓共管的完成情况\n")


def test_a_table_run_together_without_labels_is_reported_when_nothing_is_read():
    f = check_text(GLUED).files[0]
    assert f.indicators == []
    found = [x for x in f.findings if x.code == "KPI100"]
    assert len(found) == 1 and "第3-6行" in found[0].message


def test_headings_and_amounts_of_a_budget_form_alone_are_not_an_unread_table():
    text = "部门预算表\n项目名称\t金额\n办公费\t12万元\n差旅费\t3万元\n培训费\t5万元\n"
    assert _kpi100(text) == []


def test_two_targets_run_together_in_a_form_that_gives_nothing_to_read_are_reported():
    text = ("工资性支出项目支出自评表（2023年度）\n项目名称工资性支出\n"
            "年度绩效目标按计划完成工资性支出各项任务，发挥资金使用效益。\n"
            "发放(缴纳)覆盖率=10O%正向63\n足额保障率(参保率)=100%正向37\n")
    _assert_nothing_read_and_said_so(text)


def _assert_nothing_read_and_said_so(text: str) -> None:
    f = check_text(text).files[0]
    assert f.indicators == []
    assert [x.code for x in f.findings if x.code == "KPI100"] == ["KPI100"]


def test_a_report_that_names_its_targets_without_stating_them_is_no_unread_table():
    text = "项目绩效目标自评报告\n本年度项目按计划实施，完成率较上年提高，群众满意度较高。\n"
    assert _kpi100(text) == []


def test_a_titled_table_whose_rows_nothing_reads_is_reported_not_passed():
    """Its title says it is a performance table; the one row under the form is in no layout
    the parser reads (no heading, no label, no target marked as such)."""
    text = ("窗口服务保障项目支出绩效目标表（2021年度）\n项目名称\t窗口服务保障\n主管部门\t区人社局\n"
            "年度绩效目标\t保障窗口服务顺利实施，提升服务水平。\n"
            "充实窗口力量提高办事效率\t\t正向\t100\n2021年 月 日\n单位（盖章）：\n")
    _assert_nothing_read_and_said_so(text)


@pytest.mark.parametrize("text", [
    "三、项目支出绩效目标表\n（无）\n四、名词解释\n1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。\n",
    "项目支出绩效目标表\n本单位无项目支出绩效目标，故本表为空。\n单位负责人：\n",
])
def test_a_titled_table_the_document_says_is_empty_is_no_unread_table(text):
    assert _kpi100(text) == []


def test_a_notice_that_names_a_table_is_no_table_title():
    text = ("关于报送2024年度项目支出绩效目标表的通知\n各单位：\n请于3月31日前报送，逾期不候。\n"
            "联系人：财务科\n")
    assert _kpi100(text) == []


# 天长市水利局 2022 项目支出绩效自评表 (安徽, the table as printed): every 指标N row the form
# leaves empty ('指标2:', '……', '指标1:/ / /') is an empty slot, not text the parser failed to read
TIANCHANG = (
    "年度绩效指标完成情况 一级\n指标\n二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
    "(50分)\n数量指标 指标1:完成中型灌区节水改造项目数量 1 1 10 10\n指标2:完成农业综合水价改革项目 1 1 10 10\n"
    "……\n质量指标 指标1:工程质量合格 10 10\n指标2:\n……\n时效指标 指标1:年度资金支付完成率100% 10 10\n指标2:\n……\n"
    "经济效益\n指标\n指标1:全市安全度汛 10 10\n指标2:\n……\n生态效益\n指标\n指标1:/ / /\n指标2:\n……\n"
    "满意度指标\n(10分)\n服务对象\n满意度指标\n指标1:服务对象满意度 90% 100% 10 10\n指标2:\n……\n总分 100 100\n")


def test_the_empty_slots_of_a_form_are_no_unread_text():
    report = check_text(TIANCHANG).files[0]
    assert "KPI100" not in {f.code for f in report.findings} and report.coverage == 1.0
    assert "服务对象满意度" in {i.name for i in report.indicators}
