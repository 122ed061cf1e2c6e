"""Property tests: the reader, segmenter, value parser and rules accept ANY input without raising.

Inputs are drawn from the characters and lines of real documents (so the generated text reaches
deep into table detection and value parsing), mixed with arbitrary Unicode and bytes. Example
counts are bounded so the whole file runs in a few seconds.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpicheck.models import Extraction, ParsedValue
from kpicheck.pipeline import check_document
from kpicheck.read.errors import ReadError
from kpicheck.read.text import decode_bytes, text_to_document
from kpicheck.segment import segment
from kpicheck.values import parse_value

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
SOURCE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
SEED_LINES = sorted({line for line in SOURCE_TEXT.split("\n") if line.strip()})
# Every character the real documents use, plus the separators and symbols tables are made of.
DOC_ALPHABET = "".join(sorted(set(SOURCE_TEXT) | set("|\t \u3000≥≤＞＜>=<%％.,，。：:;；-—~～()（）【】*×Xx/\\\"'")))

# Value strings as they appear in real tables (comparators, units, dates, vague words, OCR noise).
REAL_VALUES = [
    "≥95%", "≤57.2万元", "=1万元", "≥1人/年", ">=101人/次", "<2次", "约500万", "20亩", "≥100%",
    "2023年12月31日前", "2023年11月31日", "12月底到位", "2023.07-2024.01", "按时", "有效改善", "稳步提高",
    "群众满意度高", "1/1/1/1/1/1/1", "0.36其他实际支出", "日均访问量400万人/次", "≥80M", "250万", "优良",
    "系统7*24小时运行,系统可用度>99.9%,出现故障4小时内应急处置", "注册人数达到近600万人", "≤7.29万元",
    "=30000人次", "3550平方米", "100", "**", "XX万元", "××%", "是", "否", "≥≥90%", "≤≥90%", "1,2345万元",
    "292%", "一百二十个", "三年", "每季度1次", "≥ 9 0 %", "１００％", "95%以上", "不低于90%", "不超过100万元",
    "", " ", "－", "/", "无", "2023年", "2024年6月前", "45195", "≥98%（含）", "50-60%", "约1,000余人",
]
VALUE_ALPHABET = "".join(sorted(set("".join(REAL_VALUES)) | set("0123456789.%≥≤<>=万元年月日前后约余多个人次")))


def _mangle(line: str, cut: int) -> str:
    return line[: cut % (len(line) + 1)]


seed_line = st.sampled_from(SEED_LINES)
line = st.one_of(
    seed_line,
    st.builds(_mangle, seed_line, st.integers(0, 500)),
    st.text(DOC_ALPHABET, max_size=80),
    st.text(max_size=40),
    st.just(""),
)
documents = st.lists(line, max_size=40).map("\n".join)
values = st.one_of(st.sampled_from(REAL_VALUES), st.text(VALUE_ALPHABET, max_size=30), st.text(max_size=20))

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------------------- reader


@BOUNDED
@given(st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda bom, rest: bom + rest,
              st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00", b"\xff"]),
              st.binary(max_size=500)),
    st.builds(lambda t, enc: t.encode(enc, "replace"), st.text(DOC_ALPHABET, max_size=300),
              st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "gb18030", "gbk", "big5", "latin-1"])),
))
def test_decode_bytes_gives_text_or_read_error(data):
    try:
        text, encoding = decode_bytes(data)
    except ReadError as exc:
        assert exc.code and exc.message
    else:
        assert isinstance(text, str) and isinstance(encoding, str)
        text_to_document(text)


@BOUNDED
@given(st.text(DOC_ALPHABET.replace("\ufeff", ""), max_size=300))
def test_utf8_and_bom_text_decodes_exactly(text):
    assert decode_bytes(text.encode("utf-8"))[0] == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))[0] == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))[0] == text


# ------------------------------------------------------------------------------- segmenter


@BOUNDED
@given(documents)
def test_segment_accepts_any_document(text):
    doc = text_to_document(text, path="<hypothesis>")
    extraction = segment(doc)
    assert isinstance(extraction, Extraction)
    ids = [ind.id for ind in extraction.indicators]
    assert len(ids) == len(set(ids)), "indicator ids must be unique within a document"
    n_lines = len(doc.rows)
    for ind in extraction.indicators:
        assert isinstance(ind.name, str) and isinstance(ind.value, str)
        if ind.line is not None:
            assert 1 <= ind.line <= n_lines


# ------------------------------------------------------------------------------- values


@settings(max_examples=400, deadline=None)
@given(values)
def test_parse_value_accepts_any_text(text):
    parsed = parse_value(text)
    assert isinstance(parsed, ParsedValue)
    for span in (parsed.comparator_span, parsed.number_span, parsed.unit_span):
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text), (text, span)
    for date in parsed.dates:
        assert 0 <= date.span.start <= date.span.end <= len(text), (text, date)


# ------------------------------------------------------------------------------- rules (whole pipeline)


@BOUNDED
@given(documents)
def test_check_document_accepts_any_document(text):
    report = check_document(text_to_document(text, path="<hypothesis>"))
    assert report.error is None
    ids = {ind.id for ind in report.indicators}
    for finding in report.findings:
        assert finding.code and finding.message
        assert finding.indicator_id is None or finding.indicator_id in ids


LEVEL1 = [None, "产出", "效益", "满意度", "成本"]
LEVEL2 = [None, "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响",
          "服务对象满意度", "经济成本", "社会成本", "生态环境成本"]
indicator = st.fixed_dictionaries(
    {"name": st.one_of(st.sampled_from(SEED_LINES), st.text(DOC_ALPHABET, max_size=30)), "value": values},
    optional={
        "project": st.sampled_from(["项目甲", "项目乙"]),
        "period": st.sampled_from(["annual", "long_term"]),
        "declared_level1": st.sampled_from(LEVEL1),
        "declared_level2": st.sampled_from(LEVEL2),
        "declared_level1_raw": st.text(DOC_ALPHABET, max_size=8),
        "value_type": st.sampled_from(["定量", "定性", "", "x"]),
        "direction": st.sampled_from(["正向", "反向", "=", ""]),
    },
)
project = st.fixed_dictionaries(
    {"name": st.sampled_from(["项目甲", "项目乙"])},
    optional={"budget_wan": st.one_of(st.none(), st.floats(-1e3, 1e9, allow_nan=False)),
              "budget_year": st.one_of(st.none(), st.integers(1900, 2100)),
              "other_budgets_wan": st.lists(st.floats(0, 1e9, allow_nan=False), max_size=3)},
)


@BOUNDED
@given(st.lists(indicator, max_size=25), st.lists(project, max_size=2),
       st.one_of(st.none(), st.integers(1900, 2100)))
def test_rules_accept_any_indicators(inds, projects, year):
    from kpicheck.api import check_indicators

    report = check_indicators(inds, projects=projects, budget_year=year)
    assert report.files[0].error is None
