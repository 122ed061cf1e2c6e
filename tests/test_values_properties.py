"""Properties of the value parser on any text: it never raises, and every span it reports
slices the original text to exactly what the field says."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kpicheck.values import _parser, parse_value

FRAGMENTS = ["≥", "≤", "≧", "≦", ">=", "<=", "＞＝", "═", "=", "＝", ">", "<", "不低于", "不超过",
             "达到", "以上", "以内", "以下", "控制在", "±", "约", "近", "余", "多", "左右",
             "95", "1,000", "1000,000.00", "３０", "0.5", "百分之", "九十五", "两万", "一", "二",
             "%", "％", "‰", "百分比", "万", "万元", "元", "/", "·", "人", "次", "人/次", "平方",
             "M", "km", "个工作日", "小时", "内", "年", "月", "日", "底", "前", "2023", "2024.01",
             "-", "~", "至", "202101", "44561", "**", "XX", "××", "(yīng)", " ", "\t", "。",
             "有效提升", "按月", "优良", "是", "高", "萬", "應", "盡"]
fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)
any_text = st.one_of(st.text(max_size=40), fragment_text)


def _check_spans(text, pv):
    n = len(text)
    pairs = [(pv.comparator_text, pv.comparator_span), (pv.number_text, pv.number_span),
             (pv.unit, pv.unit_span)]
    pairs += [(d.text, d.span) for d in pv.dates]
    for d in (pv.period_start, pv.period_end):
        if d is not None:
            pairs.append((d.text, d.span))
    for printed, span in pairs:
        assert (printed is None) == (span is None) or span is not None
        if span is not None:
            assert 0 <= span.start <= span.end <= n
            assert text[span.start:span.end] == printed


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_parser_never_raises_and_spans_are_exact(text):
    pv = _parser().parse(text)  # the inner parser: a bug here must fail, not be swallowed
    assert pv.text == text
    _check_spans(text, pv)
    if pv.kind == "empty":
        assert pv.number is None and pv.comparator is None


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True)))
def test_non_strings_do_not_raise(value):
    pv = parse_value(value)
    assert isinstance(pv.text, str)
