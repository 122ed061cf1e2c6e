"""The value forms of issue 3 and rules.md §3, one small example each, with what a reviewer reads."""
import pytest

from kpicheck.values import parse_value


def fields(text, *keys):
    pv = parse_value(text)
    return {k: getattr(pv, k) for k in keys}


@pytest.mark.parametrize("text,comparator,printed", [
    ("≥95%", "≥", "≥"), ("≧95%", "≥", "≧"), (">=95%", "≥", ">="), ("＞＝95%", "≥", "＞＝"),
    ("≤5万元", "≤", "≤"), ("≦5万元", "≤", "≦"), ("<=5万元", "≤", "<="), ("＜＝5万元", "≤", "＜＝"),
    ("=100%", "=", "="), ("＝100%", "=", "＝"), ("═100%", "=", "═"),
    (">92%", ">", ">"), ("＞92%", ">", "＞"), ("<3次", "<", "<"), ("＜3次", "<", "＜"),
    ("不低于90%", "≥", "不低于"), ("不少于20人", "≥", "不少于"), ("不小于3个", "≥", "不小于"),
    ("大于等于90%", "≥", "大于等于"), ("至少5次", "≥", "至少"), ("90%以上", "≥", "以上"),
    ("90%及以上", "≥", "及以上"), ("达到90%以上", "≥", "以上"),
    ("不高于5%", "≤", "不高于"), ("不超过30万元", "≤", "不超过"), ("不多于3次", "≤", "不多于"),
    ("小于等于2天", "≤", "小于等于"), ("控制在5%以内", "≤", "以内"), ("5%以内", "≤", "以内"),
    ("3%以下", "≤", "以下"), ("低于2%", "<", "低于"), ("高于90%", ">", "高于"),
    ("等于100%", "=", "等于"), ("达到100%", "=", "达到"), ("满意度达95%", "=", "达"),
])
def test_comparators(text, comparator, printed):
    pv = parse_value(text)
    assert (pv.comparator, pv.comparator_text, pv.comparator_problem) == (comparator, printed, None)
    assert text[pv.comparator_span.start:pv.comparator_span.end] == printed


@pytest.mark.parametrize("text,problem", [
    ("≥≥95%", "doubled"), ("≤≤5万元", "doubled"), ("≥不低于90%", "doubled"),
    ("=≥90%", "contradictory"), ("≤≥90%", "contradictory"), ("≥90%以下", "contradictory"),
    ("不低于90%以下", "contradictory"), ("不超过5%以上", "contradictory"),
])
def test_malformed_comparators(text, problem):
    assert parse_value(text).comparator_problem == problem


@pytest.mark.parametrize("text,number,problem,approx", [
    ("1,000,000元", 1000000.0, None, False), ("1000000元", 1000000.0, None, False),
    ("1000,000.00元", 1000000.0, "bad-thousands-separator", False),
    ("12.5万元", 12.5, None, False), ("９５%", 95.0, None, False),
    ("一百人", 100.0, None, False), ("两万人", 20000.0, None, False),
    ("百分之百", 100.0, None, False), ("百分之九十五", 95.0, None, False),
    ("约500人", 500.0, None, True), ("近600万人", 600.0, None, True),
    ("1100余万人", 1100.0, None, True), ("11万余人", 11.0, None, True), ("10多个", 10.0, None, True), ("50人左右", 50.0, None, True),
    ("1一次性支付", 1.0, "digits-run-into-text", False),
])
def test_numbers(text, number, problem, approx):
    assert fields(text, "number", "number_problem", "approximate") == {
        "number": number, "number_problem": problem, "approximate": approx}


def test_chinese_numerals_need_a_unit():
    assert parse_value("一般").kind == "grade"
    assert parse_value("有一定的社会影响力").number is None
    assert parse_value("十分满意").number is None


@pytest.mark.parametrize("text,low,high,comparator", [
    ("85%-95%", 85.0, 95.0, None), ("90%~100%", 90.0, 100.0, None), ("3-5个", 3.0, 5.0, None),
    ("±3%以内", -3.0, 3.0, "≤"),
])
def test_ranges(text, low, high, comparator):
    pv = parse_value(text)
    assert (pv.kind, pv.low, pv.high, pv.comparator) == ("range", low, high, comparator)


@pytest.mark.parametrize("text,canonical,dimension,problem,suggestion", [
    ("5万元", "万元", "money", None, None), ("3亿元", "亿元", "money", None, None),
    ("500元/人", "元/人", "money", None, None), ("2万元/公里", "万元/公里", "money", None, None),
    ("300元/人·月", "元/人·月", "money", None, None), ("5批次/千人", "批次/千人", "rate", None, None),
    ("95％", "%", "percent", None, None), ("3‰", "‰", "percent", None, None),
    ("200㎡", "平方米", "area", None, None), ("1780平方", "平方米", "area", "nonstandard", "平方米"),
    ("80M", "米", "length", "nonstandard", "米"), ("3KM", "公里", "length", "nonstandard", "公里"),
    ("3km", "公里", "length", None, None), ("5吨", "吨", "weight", None, None),
    ("100立方米", "立方米", "volume", None, None), ("90分", "分", "score", None, None),
    ("30个工作日", "工作日", "time", None, None), ("2小时", "小时", "time", None, None),
    ("100百分比", "%", "percent", "nonstandard", "%"), ("24人/次", "人次", "count", "nonstandard", "人次"),
    ("462元/万元", "元/万元", "money", "incoherent", None),
    ("5万元/元", "万元/元", "money", "incoherent", None),
    ("28.8万元%", "万元%", "money", "incoherent", None), ("5%元", "%元", "percent", "incoherent", None),
    ("3%/人", "%/人", "rate", "incoherent", None), ("5人%", "人%", "count", "incoherent", None),
    ("5万元万元", "万元", "money", "doubled", "万元"), ("3标箱标箱", "标箱", "count", "doubled", "标箱"),
])
def test_units(text, canonical, dimension, problem, suggestion):
    assert fields(text, "unit_canonical", "dimension", "unit_problem", "unit_suggestion") == {
        "unit_canonical": canonical, "dimension": dimension, "unit_problem": problem,
        "unit_suggestion": suggestion}


def test_magnitude_units_and_base_number():
    pv = parse_value("1100万人")
    assert (pv.unit_canonical, pv.dimension, pv.base_number, pv.base_unit) == ("万人", "count", 1.1e7, "人")
    pv = parse_value("≤57.2万元")
    assert (pv.base_number, pv.base_unit) == (572000.0, "元")
    assert parse_value("250万").unit_problem == "incomplete"
    assert parse_value("≤28.40/株").unit_problem == "incomplete"


@pytest.mark.parametrize("text,ymd,problem,deadline", [
    ("2023年12月31日前", (2023, 12, 31), None, True), ("2023年12月31日之前", (2023, 12, 31), None, True),
    ("12月31日前", (None, 12, 31), None, True), ("12月底前", (None, 12, 31), None, True),
    ("6月底前", (None, 6, 30), None, True), ("年底前", (None, 12, 31), None, True),
    ("年内", (None, 12, 31), None, True), ("2023年内完成", (2023, 12, 31), None, True),
    ("第四季度前", (None, 12, 31), None, True), ("2023年第1季度", (2023, 3, 31), None, False), ("2023.6.30", (2023, 6, 30), None, False),
    ("2023-06-30", (2023, 6, 30), None, False), ("2023/6/30", (2023, 6, 30), None, False),
    ("2023年11月31日", (2023, 11, 31), "day>days-in-month", False),
    ("2023年2月29日", (2023, 2, 29), "feb-29-non-leap-year", False),
    ("2024年2月29日", (2024, 2, 29), None, False),
    ("2023年13月1日", (2023, 13, 1), "month-out-of-range", False),
    ("2023年6月0日", (2023, 6, 0), "day-zero", False),
    ("3021年12月31日", (3021, 12, 31), "year-implausible", False),
])
def test_dates(text, ymd, problem, deadline):
    pv = parse_value(text)
    d = pv.dates[0]
    assert pv.kind == "date"
    assert ((d.year, d.month, d.day), d.problem, d.valid, pv.deadline) == (ymd, problem, problem is None, deadline)
    assert text[d.span.start:d.span.end] == d.text


@pytest.mark.parametrize("text,start,end", [
    ("2023.07-2024.01", (2023, 7), (2024, 1)), ("2024年1月-12月", (2024, 1), (2024, 12)),
    ("2023年7月至2024年6月", (2023, 7), (2024, 6)), ("202101-202112", (2021, 1), (2021, 12)),
])
def test_periods(text, start, end):
    pv = parse_value(text)
    assert pv.kind == "period"
    assert (pv.period_start.year, pv.period_start.month) == start
    assert (pv.period_end.year, pv.period_end.month) == end


def test_implausible_period_year():
    pv = parse_value("202101-302112")
    assert pv.period_end.year == 3021 and pv.period_end.problem == "year-implausible"


def test_excel_serial_only_for_a_bare_unitless_number():
    pv = parse_value("44561")
    assert pv.dates[0].excel_serial and (pv.dates[0].year, pv.dates[0].month, pv.dates[0].day) == (2021, 12, 31)
    assert parse_value("44561人").dates == []
    assert parse_value("4456").dates == []
    assert parse_value("95.5").dates == []


@pytest.mark.parametrize("text,kind,unit", [
    ("≤30个工作日", "duration", "工作日"), ("2小时内", "duration", "小时"), ("1个月内", "duration", "月"),
    ("≤3天", "duration", "天"),
])
def test_durations(text, kind, unit):
    pv = parse_value(text)
    assert (pv.kind, pv.unit_canonical, pv.dimension) == (kind, unit, "time")
    assert pv.comparator == "≤"


@pytest.mark.parametrize("text,cadence", [("按月", "按月"), ("按季度", "按季度"), ("每月", "每月"), ("每年", "每年")])
def test_cadence(text, cadence):
    assert fields(text, "kind", "cadence") == {"kind": "cadence", "cadence": cadence}


@pytest.mark.parametrize("text,kind,attr,value", [
    ("好", "grade", "grade", "好"), ("较好", "grade", "grade", "较好"), ("一般", "grade", "grade", "一般"),
    ("较差", "grade", "grade", "较差"), ("优", "grade", "grade", "优"), ("良", "grade", "grade", "良"),
    ("优良", "grade", "grade", "优良"), ("达标", "grade", "grade", "达标"), ("合格", "grade", "grade", "合格"),
    ("是", "binary", "binary", "是"), ("否", "binary", "binary", "否"), ("有", "binary", "binary", "有"),
    ("无", "binary", "binary", "无"), ("未完成", "binary", "binary", "未完成"),
    ("有效提升", "vague", "vague_phrase", "有效提升"), ("明显改善", "vague", "vague_phrase", "明显改善"),
    ("进一步提高", "vague", "vague_phrase", "进一步提高"), ("逐步完善", "vague", "vague_phrase", "逐步完善"),
    ("得到保障", "vague", "vague_phrase", "得到保障"), ("应保尽保", "vague", "vague_phrase", "应保尽保"),
    ("按要求", "vague", "vague_phrase", "按要求"), ("良好", "vague", "vague_phrase", "良好"),
    ("不超预算", "vague", "vague_phrase", "不超预算"), ("控制在预算内", "vague", "vague_phrase", "控制在预算内"),
    ("及时", "vague", "vague_phrase", "及时"), ("按计划", "vague", "vague_phrase", "按计划"),
    ("不引起任何生态问题", "text", "vague_phrase", None),
])
def test_qualitative(text, kind, attr, value):
    pv = parse_value(text)
    assert (pv.kind, getattr(pv, attr)) == (kind, value)


@pytest.mark.parametrize("text,placeholder", [
    ("**", "**"), ("≥***%", "***"), ("XX", "XX"), ("xx人", "xx"), ("××", "××"), ("X月X日前", "X"),
    ("**月**日", "**"), ("≥**株", "**"),
])
def test_placeholders(text, placeholder):
    assert fields(text, "kind", "placeholder") == {"kind": "placeholder", "placeholder": placeholder}


def test_no_placeholder_in_service_hours():
    pv = parse_value("7*24小时")
    assert pv.placeholder is None and pv.numbers == [7.0, 24.0]


def test_ocr_suspects():
    assert parse_value("292%").ocr_suspect == "≥92%"
    assert parse_value("≥92%").ocr_suspect is None
    assert parse_value("150%").ocr_suspect is None
    assert parse_value("二100百分比").ocr_suspect == "=100%"


def test_empty_and_spaces():
    assert parse_value("").kind == "empty"
    assert parse_value("  \t").kind == "empty"
    pv = parse_value(" ≥ 95 % ")
    assert (pv.comparator, pv.number, pv.unit_canonical) == ("≥", 95.0, "%")
    assert pv.unit == "%" and pv.text[pv.unit_span.start:pv.unit_span.end] == "%"


@pytest.mark.parametrize("text,comparator,number,dimension", [
    ("百分之九十五以上", "≥", 95.0, "percent"),   # a suffix after a Chinese-numeral percent
    ("95%(含)以上", "≥", 95.0, "percent"),        # the inclusive note before the suffix
    ("≤叁拾万元", "≤", 300000.0, "money"),        # financial (大写) numerals
    ("九成以上", "≥", 90.0, "percent"),           # tenths
    ("8成", None, 80.0, "percent"),
    ("≤九十%", "≤", 90.0, "percent"),
])
def test_forms_seen_on_other_units_forms(text, comparator, number, dimension):
    from kpicheck.values import parse_value

    p = parse_value(text)
    assert (p.comparator, p.number, p.dimension) == (comparator, number, dimension)


def test_soil_and_water_units_hectares_and_tonnes():
    from kpicheck.values import parse_value

    assert parse_value("25.26hm²").dimension == "area"
    assert parse_value("3.51万t").dimension == "weight"
    assert parse_value("1429.39hm").dimension == "area"  # hm², its ² lost: read, and KPI5 says so
