"""KPI5xx units and numbers: the unit must make sense, fit the indicator, and the number must be
well formed and within range.

Unit facts come from the value parser (`unit_problem`, `unit_suggestion`, `number_problem`,
`ocr_suspect`) and from `_reading` (the unit read against lexicon `units`); what the indicator
needs comes from its name head (lexicon `directions`, [expects] and [rates]).
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from kpicheck import patterns
from kpicheck.models import Indicator
from kpicheck.rules._reading import (
    CN_DIGITS, ValueView, category_of, fold, is_numeric_name, lex, read_name, read_unit, view,
)
from kpicheck.rules import _facts as F
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register
from kpicheck.rules.kpi4_dates import calendar_dates, excel_serial
from kpicheck.textcache import text_cache

_MONEY_WORDS = ("预算", "资金", "经费", "工资", "费", "成本", "购置", "金额", "投资", "支出", "补助", "补贴", "报酬", "价")
_NAME_NOTE = patterns.compile(r"[（(]\s*(?:计量)?(?:单位\s*[:：]?)?\s*([^()（）]{1,6}?)\s*[)）]")
_DIM_ZH = {"money": "金额", "percent": "百分比", "count": "数量", "time": "时间", "area": "面积",
           "length": "长度", "weight": "重量", "volume": "体积", "score": "分值", "rate": "单价/比值",
           "other": "其他"}
_DIM_EN = {"money": "money", "percent": "a percentage", "count": "a count", "time": "a time",
           "area": "an area", "length": "a length", "weight": "a weight", "volume": "a volume",
           "score": "a score", "rate": "a ratio", "other": "another quantity"}


_DIGIT_BEFORE_NUMERAL = patterns.compile(r"\d(?=[" + CN_DIGITS + r"])")
_WORD_CHAR = patterns.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK_NEXT = patterns.compile(r"\s*[\u4e00-\u9fff]")
_NUMERAL_NEXT = patterns.compile(r"\s*[" + CN_DIGITS + "]")
_MINUS_BEFORE = patterns.compile(r"(?<![\d%])[-−负]\s*$")
_OCR_GE = patterns.compile(r"2\d{2}")  # '295': an OCR'd '≥95'


def comparator_slip(ctx: RuleContext, ind: Indicator, v: ValueView) -> Optional[str]:
    """The value as printed before OCR read its '≥' as a '2' (285% → ≥85%, 2100 → ≥100), or None.

    A leading 2 stands where a comparator was when no comparator is printed, what follows the 2
    is itself a plausible target (a share of 50-100 for a rate; any count), and, for a count,
    the table around it writes ≥ before its targets (at least half of the block's compared
    values): a count of 2100 is common, a block of ≥ targets with one 2-number in it is a slip."""
    n = v.single
    if n is None or v.tokens or not n.text.startswith("2") or len(n.text) < 3 or "." in n.text[:3]:
        return None
    rest = n.text[1:]
    if rest.startswith("0") and not rest.startswith("0."):
        return None  # 2050: no target starts with 0
    unit = n.unit.text
    if v.is_percent:
        return f"≥{rest}{unit}" if 50 <= float(rest.replace(",", "")) <= 100 else None
    block = ctx.blocks().get((ind.project, ind.period), [])
    compared = [c for c in (view(other).comparator for other in block if other is not ind) if c]
    if len(compared) < 2 or sum(c in ("≥", ">") for c in compared) * 2 < len(compared):
        return None
    return f"≥{rest}{unit}"
_GROUPED_NUMBER = patterns.compile(r"(?<![\d.])\d+(?:,\d+)+(?:\.\d+)?")
_NUMERAL_THEN_DIGITS = patterns.compile(r"^\s*([" + CN_DIGITS + r"])(\d+)")
_NUMERAL_DATE = patterns.compile(r"[" + CN_DIGITS + r"]个?[月日年号季度周]")


def _money_context(ind: Indicator) -> bool:
    """Is the indicator an amount of money (so 250万 reads as 万元, and a bare number lacks 元)?"""
    r = read_name(ind.name)
    if r.expects == "money":
        return True
    people = lex("directions").get("expects", {}).get("people", [])
    if r.expects in ("count", "bulk", "percent", "time") or r.count_units or any(r.head.endswith(w) for w in people):
        return False
    return "成本" in category_of(ind) or any(w in fold(ind.name) for w in _MONEY_WORDS)


def _unit_parts(v: ValueView):
    n = v.single
    return n.unit.parts if n else []


def _dimension(ind: Indicator, v: ValueView) -> Optional[str]:
    """The dimension of the single number's unit: the head of a compound (元/人 is money)."""
    n = v.single
    if n is None:
        return None
    if n.unit.parts:
        return n.unit.parts[0][2]
    return None


def _date_like(ind: Indicator) -> bool:
    text = fold(ind.value)
    return bool(calendar_dates(text) or excel_serial(ind)
                or (ind.parsed and ind.parsed.kind in ("date", "period")))


# ---------------------------------------------------------------------------- rules


@register
class IncoherentUnit(Rule):
    code = "KPI501"
    name = "incoherent-unit"
    severity = "error"
    judges_value = True
    summary = "单位本身不成立：元/万元、%元、万元%、重复单位（%…百分比、万元万元）、写错的字母单位（hmm）、定性值带%"
    summary_en = "A unit that makes no sense: 元/万元, %元, doubled units, a misprinted Latin unit (hmm), a % on a value with no number"
    why = "单位不成立时数值无法理解，也无法与实际完成值比较，评审会退回重填。"
    why_en = "With a nonsensical unit the number cannot be read nor compared with the result."
    source = "rules.md UNT-003, UNT-002"
    messages = {
        "zh": "指标“{name}”的值“{value}”单位不成立：{problem_zh}。",
        "en": "The unit of '{value}' ('{name}') makes no sense: {problem_en}.",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "运维维护费", "value": "4623.8元/万元", "declared_level1": "成本"},
                              {"name": "经果林", "value": "32.49hmm", "declared_level1": "产出"},
                              {"name": "业务工作支出安排金额", "value": "28.8万元%", "declared_level1": "产出"},
                              {"name": "服务对象满意度", "value": "%=99百分比", "declared_level1": "满意度"},
                              {"name": "保证单位正常运转", "value": "应保尽保%", "declared_level1": "效益"}))
    good = Example(indicators=({"name": "运维维护费", "value": "≤46.24万元", "declared_level1": "成本"},
                               {"name": "排水管道管径", "value": "≥300mm", "declared_level1": "产出"},
                               {"name": "人均补助标准", "value": "≤1000元/人", "declared_level1": "成本"},
                               {"name": "加强社保卡的发放覆盖", "value": "全区99.5%人员社保卡发放完毕",
                                "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind, v in ctx.viewed():
            found = None if F.is_placeholder(ind, extra) else self._problem(ind, v)
            if not found:
                continue  # (a template's '≧ %' with no target is KPI103's)
            (pz, pe), (az, ae), fix, sev = found
            yield Hit(indicator=ind, fix=fix, severity=sev,
                      args={"problem_zh": pz, "problem_en": pe, "advice_zh": az, "advice_en": ae})

    def _problem(self, ind: Indicator, v: ValueView):
        p = ind.parsed
        text = v.text
        n = v.single
        spelled = ind.parsed is not None and ind.parsed.number is not None  # ≥九十%: a number in words
        if n is None and not v.numbers and "%" in text and not spelled and not _date_like(ind):
            return (("百分号附在没有数字的定性值上", "a % sign on a value with no number"),
                    ("定性指标去掉“%”并写明分级（好/较好/一般/较差），或改写为可计量的比率目标。",
                     "Drop the % from a qualitative value, or state a measurable rate."), None, None)
        if n is None:
            return None
        misprint = _misprinted_latin_unit(n.unit)
        if misprint is not None:
            printed, known, canonical = misprint
            return ((f"单位“{printed}”写法有误（“{known}”的末字母重复）",
                     f"the unit '{printed}' is misprinted ('{known}' with its last letter doubled)"),
                    (f"改为“{known}”（{canonical}），面积用公顷时写“hm²”。" if canonical == "公顷" else f"改为“{known}”（{canonical}）。",
                     f"Write '{known}' ({canonical})."), None, None)
        parts = n.unit.parts
        # money per money: 元/万元 (may be deliberate for a ratio such as 每万元产值)
        if len(parts) >= 2 and parts[0][2] == "money" and parts[1][2] == "money":
            ratio = any(w in fold(ind.name) for w in ("每万元", "万元产值", "万元GDP"))
            return ((f"“{n.unit.text}”是金额除以金额", f"'{n.unit.text}' divides money by money"),
                    ("金额写“元”或“万元”；若是单位成本，写成“元/人”“元/台”等；若是比例，用“%”。",
                     "Write 元 or 万元; a unit cost as 元/人, 元/台; a share in %."),
                    None, "warning" if ratio else None)
        # a unit followed directly by another unit: 万元%, %元, 次%
        rest = n.unit.rest
        if parts and rest:
            nxt = self._unit_at(rest)
            if nxt:
                same = nxt[1] == parts[-1][1]
                what = ("单位重复" if same else "两个单位连写") + f"（{n.unit.text}{nxt[0]}）"
                what_en = ("a doubled unit" if same else "two units run together") + f" ({n.unit.text}{nxt[0]})"
                fix = text[: n.end] + n.unit.text + rest[len(nxt[0]):] if same else None
                return ((what, what_en), ("只保留一个与指标相符的单位。", "Keep the one unit that fits the indicator."),
                        fix, None)
        # a % before the number and a percent unit after it: %=99百分比
        if parts and parts[0][2] == "percent" and "%" in text[: n.start]:
            fix = re.sub(r"^%\s*", "", text[: n.start]) + n.text + "%"
            return ((f"百分号重复（“%”与“{n.unit.text}”）", f"the percent sign is doubled ('%' and '{n.unit.text}')"),
                    ("只保留一个“%”，写在数字之后。", "Keep one %, after the number."), fix, None)
        if p and p.unit_problem in ("incoherent", "doubled"):
            return ((f"单位“{p.unit or ''}”不成立", f"the unit '{p.unit or ''}' is incoherent"),
                    ("只保留一个与指标相符的单位。", "Keep the one unit that fits the indicator."), None, None)
        return None

    @staticmethod
    def _unit_at(rest: str):
        """A unit standing alone at the start of `rest` (万元 in `万元`, not 人 in `人员`)."""
        u = read_unit(rest)
        if not u.parts or u.magnitude:
            return None
        after = u.rest[:1]
        if after and _WORD_CHAR.match(after):
            return None
        return (u.text, u.parts[0][1])


def _misprinted_latin_unit(unit) -> Optional[tuple[str, str, str]]:
    """(printed, the unit meant, its Chinese name) when the letters after a number are no unit but
    a known Latin unit with its last letter doubled (32.49hmm for hm², 3kmm for km); None else. A
    wholly unknown abbreviation is not judged: it may be a unit no lexicon lists yet."""
    if unit.parts:
        return None
    m = _LATIN_RUN.match(unit.rest or "")
    if m is None:
        return None
    run = m.group(0)
    for size in range(len(run) - 1, 0, -1):
        known = read_unit(run[:size])
        if known.parts and known.text == run[:size]:
            stray = run[size:]
            if stray and set(stray) == {run[size - 1]}:
                return run, known.text, known.parts[0][1]
            return None
    return None


_LATIN_RUN = re.compile(r"[A-Za-z]+")


@register
class MissingUnit(Rule):
    code = "KPI502"
    name = "missing-unit"
    severity = "warning"
    judges_value = True
    summary = "数值缺少必要的单位：社保网络0.36、≤28.40/株、=8（人数）、约500万（人？户？）、成活率>=85"
    summary_en = "A number with no unit where one is needed (0.36, ≤28.40/株, =8 people, about 500万)"
    why = "没有单位的数字无法核对：0.36 是元还是万元，500万 是人还是户？每个定量指标都应带计量单位。"
    why_en = "A number without a unit cannot be checked: is 0.36 in 元 or 万元, are 500万 people or households?"
    source = "rules.md UNT-001 (S9, S13, S22)"
    messages = {
        "zh": "指标“{name}”的值“{value}”中的数字{number}缺少单位{need_zh}。",
        "en": "The number {number} in '{value}' ('{name}') has no unit{need_en}.",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "严格按预算执行，厉行节约", "value": "社保网络0.36", "declared_level1": "成本"},
                              {"name": "补助成本", "value": "≤28.40/株", "declared_level1": "成本"},
                              {"name": "持卡人数", "value": "1100万", "declared_level1": "产出"},
                              {"name": "种植作物成活率", "value": ">=85", "declared_level1": "产出"}))
    good = Example(indicators=({"name": "劳务派遣工资", "value": "13.2万", "declared_level1": "成本"},
                               {"name": "持卡人数", "value": "1100万人", "declared_level1": "产出"},
                               {"name": "开展小型水利工程建设(个)", "value": "3", "declared_level1": "产出"},
                               {"name": "系统运行时间及故障处理时效",
                                "value": "系统7*24小时运行,系统可用度>99.9%,出现故障4小时内应急处置",
                                "declared_level1": "产出"},
                               {"name": "空气质量综合指数", "value": "≤4.5", "declared_level1": "效益"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            hit = self._check(ind, v)
            if hit:
                slip = comparator_slip(ctx, ind, v)
                if slip:  # 2100 in a block of ≥ targets: the 2 may be the ≥ (then the unit is missing too)
                    hit.args["need_zh"] += f"；也可能是“{slip}”被识别成了“{F.shown(ind.value)}”"
                    hit.args["need_en"] += f"; it may also be '{slip}' read as '{F.shown(ind.value)}'"
                    hit.args["advice_zh"] += f"核对原件：可能是“{slip}”（“≥”被识别成“2”）。"
                    hit.args["advice_en"] += f" Check the source: probably '{slip}' (≥ read as 2)."
                yield hit

    def _check(self, ind: Indicator, v: ValueView) -> Optional[Hit]:
        n = v.single
        p = ind.parsed
        if n is None and len(v.numbers) > 1:
            return _unit_lost_in_a_list(ind, v)
        if n is None or n.unit.parts:  # no number, or one with its unit: most values
            return None
        if n.value == 0 and not n.unit.magnitude:
            return None  # 0 (次, 起, 元 …) is zero in any unit
        if is_numeric_name(ind.name) or _unit_in_name(ind.name):
            return None
        if (p and p.number_problem) or _date_like(ind):
            return None  # a malformed number (KPI505) or a date (KPI4)
        r = read_name(ind.name)
        u = n.unit
        money = _money_context(ind)
        if u.rest.startswith("/"):  # ≤28.40/株: a per-unit with nothing before the slash
            per = u.rest.split()[0]
            need = ("元" + per, "元" + per) if money else ("单位" + per, "a unit" + per)
            return Hit(indicator=ind, args={
                "number": n.text, "need_zh": f"（“{per}”前缺少分子单位）", "need_en": f" before '{per}'",
                "advice_zh": f"补全单位，如“{n.text}{need[0]}”。", "advice_en": f"Complete the unit, e.g. '{n.text}{need[1]}'."})
        if u.magnitude and money:
            return None  # 250万 on a money indicator reads as 万元
        if _unknown_unit(u.rest):
            return None  # 35微克/立方米, 100Mbps: a unit the lexicon does not know is still a unit
        if r.dimensionless or (not u.magnitude and _is_year(n.value) and not v.comparator
                                and r.expects not in ("count", "bulk") and not r.count_units):
            return None  # a year (2023) stands alone; ≥2000 on a count is a count
        if _CJK_NEXT.match(u.rest) and _NUMERAL_NEXT.match(u.rest):
            return None  # 1一次性: KPI505
        if r.bounded or "满意度" in category_of(ind) and n.value <= 100:
            return Hit(indicator=ind, fix=None, args={
                "number": n.text, "need_zh": "（比率应带“%”）", "need_en": " (a rate needs %)",
                "advice_zh": f"写成“{v.text[:n.end]}%{v.text[n.end:]}”。",
                "advice_en": f"Write '{v.text[:n.end]}%{v.text[n.end:]}'."})
        if money:
            need_zh, need_en = "（金额应写明“元”或“万元”）", " (money needs 元 or 万元)"
            advice = ("写明金额单位，如“{0}元”或“{0}万元”。".format(n.text),
                      "State the money unit, e.g. '{0}元' or '{0}万元'.".format(n.text))
        elif r.expects == "count" or r.count_units:
            unit = r.count_units[0] if r.count_units else "个/人/次"
            need_zh, need_en = f"（计数应写明单位，如“{unit}”）", f" (a count needs a unit such as {unit})"
            advice = (f"补上计量单位，如“{u.magnitude}{unit}”。", f"Add the unit, e.g. '{u.magnitude}{unit}'.")
        else:
            need_zh, need_en = "", ""
            advice = ("补上计量单位（或在计量单位栏中填写）。", "Add the unit (or fill the unit column).")
        return Hit(indicator=ind, args={"number": f"{n.text}{u.magnitude}", "need_zh": need_zh, "need_en": need_en,
                                        "advice_zh": advice[0], "advice_en": advice[1]})


def _unit_lost_in_a_list(ind: Indicator, v: ValueView) -> Optional[Hit]:
    """A list of counts in one value where one count lost its unit (编印画册30本和指南1000): the
    number ends the value or a list item, and another count beside it has a count unit."""
    units = [u for m in v.numbers for u in m.unit.parts[:1] if u[2] == "count"]
    if not units:
        return None
    for m in v.numbers:
        if m.unit.parts or m.unit.magnitude or m.value == 0 or _is_year(m.value):
            continue
        after = m.unit.rest.lstrip()
        before = v.text[max(0, m.start - 1):m.start]
        if (not after or after[0] in _LIST_END) and before not in _NUMBER_JOINS:
            unit = units[0][1]
            return Hit(indicator=ind, args={
                "number": m.text, "need_zh": f"（同一指标值中其他数量都带单位，如“{unit}”）",
                "need_en": f" (the other counts in it carry one, such as {unit})",
                "advice_zh": f"补上计量单位，如“{m.text}{unit}”。", "advice_en": f"Add the unit, e.g. '{m.text}{unit}'."})
    return None


# What ends a list item after a number (和, 及, 、, ，, 。) and what joins two numbers into one
# figure or range (7*24, 1-3, 3/4): a number after a joiner is part of the figure before it.
_LIST_END = frozenset("和及与、,，;；。.")
_NUMBER_JOINS = frozenset("*×xX-—~～/:：.")


_UNIT_LIKE = patterns.compile(r"\s*(?:[A-Za-zμµ°℃‰]|[\u4e00-\u9fff]{1,3}(?:/|$|[\s,，;；、。)）]))")


# A name that divides one measure by another ('实际完成飞行小时数/计划小时数'): Chinese on both
# sides of the slash (元/人 after a number is a unit, not this).
_QUOTIENT_NAME = patterns.compile(r"[\u4e00-\u9fff]{2,}\s*(?P<slash>[/÷])\s*[\u4e00-\u9fff]{2,}")


def _quotient_name(name: str) -> bool:
    """Two measures divided ('实际完成飞行小时数/计划小时数'), not a unit in the name
    ('行驶速度公里/小时', '单价元/平方米'): what follows the slash is no unit word."""
    m = _QUOTIENT_NAME.search(name)
    return m is not None and not read_unit(name[m.end("slash"):].lstrip()).parts


def _unknown_unit(rest: str) -> bool:
    """Text after a number that reads as a unit: Latin letters, or one to three characters
    standing alone or before a slash (微克/立方米). Longer prose (其他实际支出) is no unit."""
    return bool(rest.strip()) and bool(_UNIT_LIKE.match(rest))


def _unit_in_name(name: str) -> bool:
    """`开展小型水利工程建设(个)`, `培训人数（单位：人）`: the name carries the unit."""
    for m in _NAME_NOTE.finditer(fold(name)):
        u = read_unit(m.group(1))
        if u.parts and not u.rest.strip() and not u.magnitude:
            return True
    return "单位:" in fold(name) or "单位：" in fold(name)


def _piece_units() -> tuple[str, ...]:
    return tuple(lex("directions").get("expects", {}).get("piece_units", []))


def _is_year(x: float) -> bool:
    return x.is_integer() and 1990 <= x <= 2100


# A cadence in a name (按月发放, 每季度巡查) and the times a year it recurs, by its last character.
_PER_YEAR = {"月": 12, "季": 4, "度": 4, "周": 52, "日": 365, "天": 365}


@text_cache(4096)
def _cadence_in_name(name: str) -> Optional[tuple[str, int]]:
    text = fold(name)
    for word in sorted(lex("values").get("time", {}).get("cadence", []), key=len, reverse=True):
        if word in text and word[-1] in _PER_YEAR and not word.endswith(("年", "均")):
            return word, _PER_YEAR[word[-1]]
    return None


@register
class UnitContradictsIndicator(Rule):
    code = "KPI503"
    name = "unit-contradicts-indicator"
    severity = "warning"
    judges_value = True
    summary = "单位与指标含义不符：卡量用%、比率用天数、工资用人、户数用人次、人口数用户、秸秆数量用个"
    summary_en = ("A unit that contradicts the indicator (a card count in %, a rate in days, wages in 人, "
                  "a quantity of straw in 个)")
    why = "单位说明了衡量的是什么；与指标名称不符时，目标值要么填错了栏，要么指标名称写错了，无法考核。"
    why_en = "The unit says what is measured; when it contradicts the name, either the value or the name is wrong."
    source = "rules.md UNT-004"
    messages = {
        "zh": "指标“{name}”{expects_zh}，目标值“{value}”却以“{unit}”计量（{got_zh}）。",
        "en": "'{name}' {expects_en}, but its target '{value}' is in '{unit}' ({got_en}).",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "维护卡量", "value": "≤98%", "declared_level1": "产出"},
                              {"name": "检测及时率", "value": "≤7工作日", "declared_level1": "产出",
                               "declared_level2": "时效"},
                              {"name": "工作人员工资", "value": "6人", "declared_level1": "产出"},
                              {"name": "年度申请就学补助户数", "value": ">=101人/次", "declared_level1": "产出"},
                              {"name": "按月发放", "value": "=1次", "declared_level1": "产出", "declared_level2": "时效"},
                              {"name": "消化利用农作物秸秆数量", "value": "5个", "declared_level1": "产出",
                               "declared_level2": "数量"}))
    good = Example(indicators=({"name": "维护卡量", "value": "≥2万张", "declared_level1": "产出"},
                               {"name": "检测时限", "value": "≤7个工作日", "declared_level1": "产出"},
                               {"name": "受益人口数", "value": "≥500人", "declared_level1": "效益"},
                               {"name": "系统可用度", "value": ">99.9%", "declared_level1": "产出"},
                               {"name": "群众满意度", "value": "≥90分", "declared_level1": "满意度"},
                               {"name": "按月发放", "value": "=12次", "declared_level1": "产出", "declared_level2": "时效"},
                               {"name": "秸秆综合利用量", "value": "≥500吨", "declared_level1": "产出"},
                               {"name": "垃圾桶数量", "value": "100个", "declared_level1": "产出"}))

    EXPECT = {
        "percent": ("是比率，应以“%”计量", "is a rate, measured in %"),
        "money": ("是金额，应以“元/万元”计量", "is an amount of money, measured in 元/万元"),
        "count": ("是数量，应以计数单位计量", "is a count, measured in a count unit"),
        "time": ("是时间，应以日期或时长计量", "is a time, measured as a date or a duration"),
        "bulk": ("是物料的数量，应以重量或体积（吨、立方米）计量", "is an amount of a bulk material, measured by weight or volume"),
    }
    WRONG = {  # what each expectation cannot be measured in
        "percent": {"count", "money", "time", "area", "length", "weight", "volume"},
        "money": {"count", "time", "area", "length", "weight", "volume"},
        "count": {"percent", "money"},
        "time": {"percent", "money", "count", "area", "length"},
        "bulk": {"percent", "money", "time", "count"},  # count: only units of pieces (piece_units)
    }

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            hit = self._check(ind, v)
            if hit:
                yield hit

    def _check(self, ind: Indicator, v: ValueView) -> Optional[Hit]:
        n = v.single
        if n is None or not n.unit.parts:
            return None
        r = read_name(ind.name)
        if r.dimensionless:
            return None
        dim = n.unit.parts[0][2]
        unit = n.unit.text
        if r.expects == "count" and v.is_relative_change:
            return None  # 发案数 同比下降5%: a change against last year, % is right
        if dim == "percent" and _quotient_name(fold(ind.name)):
            return None  # 实际完成小时数/计划小时数: the name is a quotient of two counts, a rate
        cadence = _cadence_in_name(ind.name)
        if cadence and n.unit.parts[0][1] == "次" and len(n.unit.parts) == 1 and 0 < n.value < cadence[1] \
                and not (ind.parsed and ind.parsed.cadence) and _cadence_in_name(v.text) is None:
            word, per_year = cadence  # 按月发放 =1次: once a month is 12 times a year
            return Hit(indicator=ind, args={
                "expects_zh": f"按“{word}”进行，全年应为{per_year}次", "expects_en": f"recurs {word}, {per_year} times a year",
                "unit": unit, "got_zh": "全年次数与频次不符，未注明每期", "got_en": "a yearly count that contradicts the cadence",
                "advice_zh": f"写成每期次数（如“{n.text}次/{word.lstrip('按每')}”）或全年次数（如“{per_year * int(n.value)}次”）。",
                "advice_en": f"Write it per period ('{n.text}次/{word.lstrip('按每')}') or per year ({per_year * int(n.value)}次)."})
        if r.expects and dim in self.WRONG.get(r.expects, ()):
            if r.expects == "time" and dim == "count" and n.unit.parts[0][1] in ("次",):
                return None  # 时间 … 2次 is a frequency, not a contradiction
            if r.expects == "bulk" and dim == "count" and n.unit.parts[0][1] not in _piece_units():
                return None  # 清运垃圾 120车, 3批次: loads of it are a measure
            ez, ee = self.EXPECT[r.expects]
            return Hit(indicator=ind, args={
                "expects_zh": ez, "expects_en": ee, "unit": unit,
                "got_zh": f"{_DIM_ZH.get(dim, dim)}单位", "got_en": _DIM_EN.get(dim, dim),
                "advice_zh": self._advice(r.expects)[0], "advice_en": self._advice(r.expects)[1]})
        if r.count_units and dim == "count":
            canonical = n.unit.parts[0][1]
            printed = n.unit.parts[0][0]
            if canonical not in r.count_units and printed not in r.count_units:
                want = "/".join(r.count_units[:2])
                return Hit(indicator=ind, args={
                    "expects_zh": f"应以“{want}”计量", "expects_en": f"should be counted in {want}", "unit": unit,
                    "got_zh": "计数对象不符", "got_en": "a different thing is counted",
                    "advice_zh": f"改用“{r.count_units[0]}”计量，或改正指标名称。",
                    "advice_en": f"Count in {r.count_units[0]}, or correct the name."})
        return None

    @staticmethod
    def _advice(expects: str) -> tuple[str, str]:
        return {
            "bulk": ("写明重量或体积（如“≥500吨”）；若要考核的是利用点、企业等的个数，改正指标名称（如“秸秆综合利用点数量”）。",
                     "State a weight or volume (e.g. ≥500吨); to count sites or firms, rename the indicator."),
            "percent": ("比率写成百分比（如“≥95%”）；若要考核时长或数量，改用相应的指标名称（如“检测时限”）。",
                        "Give the rate in % (e.g. ≥95%); to measure a duration or a count, rename the indicator."),
            "money": ("金额写成“元/万元”；若要考核人数，改用相应的指标名称（如“工作人员数”）。",
                      "State the amount in 元/万元; to count people, rename the indicator."),
            "count": ("写出具体数量及计数单位（如“≥2万张”）；若要考核比率，改用“…率”作指标名称。",
                      "State the number with a count unit; for a share, name the indicator as a rate."),
            "time": ("写明日期或时长（如“≤1年”“12月31日前”）；比率应命名为“及时率”等。",
                     "State a date or a duration; a rate should be named as one."),
        }[expects]


@register
class RateOutOfRange(Rule):
    code = "KPI504"
    name = "rate-out-of-range"
    severity = "error"
    judges_value = True
    summary = "有上下界的比率超过100%或小于0（292% 可能是 OCR 把“≥”识别成了“2”）"
    summary_en = "A bounded rate above 100% or below 0 (292% may be an OCR misreading of ≥92%)"
    why = "满意度、合格率等是份额，不可能超过 100% 或为负；超界的目标值无法实现，多为录入或识别错误。"
    why_en = "Satisfaction and pass rates are shares: they cannot exceed 100% or go negative."
    source = "rules.md VAL-004, §3.7 (S14)"
    messages = {
        "zh": "指标“{name}”是有上下界的比率，目标值“{value}”{problem_zh}。",
        "en": "'{name}' is a bounded rate, but its target '{value}' {problem_en}.",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "验收合格率", "value": "292%", "declared_level1": "产出"},
                              {"name": "设备完好率", "value": "285%", "declared_level1": "产出"},
                              {"name": "群众满意度", "value": "≥120%", "declared_level1": "满意度"}))
    good = Example(indicators=({"name": "验收合格率", "value": "≥92%", "declared_level1": "产出"},
                               {"name": "营业收入增长率", "value": "≥120%", "declared_level1": "效益"},
                               {"name": "系统可用度", "value": ">99.9%", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            n = v.single
            if n is None or not v.is_percent:
                continue
            r = read_name(ind.name)
            bounded = r.bounded or ("满意度" in category_of(ind) and not r.unbounded and r.expects in (None, "percent"))
            if not bounded:
                continue
            negative = bool(_MINUS_BEFORE.search(v.text[: n.start]))
            if not (n.value > 100 or negative):
                continue
            ocr = ind.parsed.ocr_suspect if ind.parsed else None
            if not ocr and not negative:
                ocr = comparator_slip(ctx, ind, v)
            if negative:
                problem = ("为负数", "is negative")
            elif ocr:
                problem = (f"超过了100%，可能是“{ocr}”被识别成了“{F.shown(ind.value)}”",
                           f"exceeds 100%; probably '{ocr}' read as '{F.shown(ind.value)}'")
            else:
                problem = ("超过了100%", "exceeds 100%")
            if ocr:
                advice = (f"核对原件：可能是“{ocr}”（“≥”被识别成“2”），确认后改为“{ocr}”。",
                          f"Check the source: probably '{ocr}' (≥ read as 2); if so, write '{ocr}'.")
            else:
                advice = ("改为0–100%之间的目标，全部达成写“=100%”。", "Use a target within 0-100%; '=100%' for all.")
            yield Hit(indicator=ind, args={"problem_zh": problem[0], "problem_en": problem[1],
                                           "advice_zh": advice[0], "advice_en": advice[1]})


@register
class MalformedNumber(Rule):
    code = "KPI505"
    name = "malformed-number"
    severity = "error"
    judges_value = True
    summary = "数字书写错误：千分位错位（1000,000.00）、数字与文字粘连（1一次性支付、二100）"
    summary_en = "A malformed number: misplaced thousands separators (1000,000.00), digits run into text (1一次性支付)"
    why = "格式错误的数字可能被误读成另一个数值（1000,000 是一百万还是一千？），必须先改正再考核。"
    why_en = "A malformed number can be read as another value; it must be corrected before it can be scored."
    source = "rules.md §3.7; ANNOTATION.md KPI5"
    messages = {
        "zh": "{where_zh}中数字“{number}”书写有误：{problem_zh}。",
        "en": "The number '{number}' in {where_en} is malformed: {problem_en}.",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "按年度支付", "value": "1一次性支付", "declared_level1": "产出"},
                              {"name": "制卡经费", "value": "1000,000.00元", "declared_level1": "成本"},
                              {"name": "资金使用效率", "value": "二100百分比", "declared_level1": "成本"}))
    good = Example(indicators=({"name": "按年度支付", "value": "1次", "declared_level1": "产出"},
                               {"name": "制卡经费", "value": "1,000,000.00元", "declared_level1": "成本"},
                               {"name": "社保卡补卡换卡数量", "value": "三代卡补卡换卡年增7万张", "declared_level1": "产出"},
                               {"name": "项目财政资金到位时间", "value": "=44,561 44,561", "declared_level1": "产出",
                                "declared_level2": "时效"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            found = self._problem(ind)
            if found:
                number, (pz, pe), (az, ae) = found
                yield Hit(indicator=ind, args={
                    "where_zh": f"指标“{ind.name}”的值“{ind.value}”", "where_en": f"'{ind.value}' ('{ind.name}')",
                    "number": number, "problem_zh": pz, "problem_en": pe, "advice_zh": az, "advice_en": ae})
        for project in ctx.projects:  # amounts in the 总目标 narrative: only the unambiguous defect
            found = self._separators(fold(project.goal_text))
            if found:
                number, (pz, pe), (az, ae) = found
                yield Hit(project=project.name, args={
                    "where_zh": f"项目“{project.name}”的绩效目标", "where_en": f"the goal of project '{project.name}'",
                    "number": number, "problem_zh": pz, "problem_en": pe, "advice_zh": az, "advice_en": ae})

    @staticmethod
    def _separators(text: str):
        if "," not in text:
            return None  # most texts: no grouped number at all
        for m in _GROUPED_NUMBER.finditer(text):
            groups = m.group().split(".")[0].split(",")
            if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
                plain = m.group().replace(",", "")
                return m.group(), ("千分位分隔符位置不对", "the thousands separators are misplaced"), \
                    (f"核对数值：不用分隔符写作“{plain}”，或按每三位分隔。",
                     f"Check the number: write it without separators ('{plain}') or group by three digits.")
        return None

    def _problem(self, ind: Indicator):
        text = fold(ind.value)
        found = self._separators(text)
        if found:
            return found
        m = _DIGIT_BEFORE_NUMERAL.search(text)  # one digit then a Chinese numeral: linear
        if m and not _NUMERAL_DATE.match(text, m.end()):
            start = m.start()
            while start > 0 and text[start - 1].isdigit() and m.start() - start < 20:
                start -= 1
            return text[start:m.end()] + text[m.end()], ("数字与文字粘连", "digits run into text"), \
                ("删除多余的数字，或写成“数字+单位”（如“1次”）。", "Remove the stray digit or write number + unit (e.g. 1次).")
        m = _NUMERAL_THEN_DIGITS.match(text)
        if m:
            ocr = ind.parsed.ocr_suspect if ind.parsed and ind.parsed.ocr_suspect else None
            hint = f"，可能应为“{ocr}”" if ocr else ("，“二”可能是被误识别的“=”" if m.group(1) == "二" else "")
            hint_en = f"; probably '{ocr}'" if ocr else ("; '二' may be a misread '='" if m.group(1) == "二" else "")
            return m.group(1) + m.group(2), ("汉字数字与阿拉伯数字连写", "a Chinese numeral runs into the digits"), \
                (f"核对原件{hint}。", f"Check the source{hint_en}.")
        p = ind.parsed
        if p and p.number_problem and p.number_text and not excel_serial(ind):
            return p.number_text, (f"{p.number_problem}", p.number_problem), ("核对并改正数值。", "Check and correct the number.")
        return None


_COUNT_NOUN = "数"  # 人数, 户数: the noun a count unit makes with 数 is no unit


@register
class NonstandardUnit(Rule):
    code = "KPI506"
    name = "nonstandard-unit"
    severity = "warning"
    judges_value = True
    summary = "非规范的单位写法：平方（平方米）、M（米）、百分比（%）、人/次（人次）"
    summary_en = "A non-standard unit word: 平方 for 平方米, M for 米, 百分比 for %, 人/次 for 人次"
    why = "不规范或有歧义的单位（M 是米还是兆？人/次 是每次的人数？）会被误读，填报应使用法定计量单位。"
    why_en = "Non-standard or ambiguous units (M: metre or mega? 人/次: people per visit?) get misread."
    source = "rules.md UNT-005 (S12)"
    messages = {
        "zh": "指标“{name}”的值“{value}”使用了不规范的单位“{unit}”{meaning_zh}。",
        "en": "The value '{value}' of '{name}' uses the non-standard unit '{unit}'{meaning_en}.",
    }
    suggestions = {"zh": "改用“{standard}”{how_zh}。", "en": "Use '{standard}'{how_en}."}
    bad = Example(indicators=({"name": "单位承担面积", "value": "≤1780平方", "declared_level1": "产出"},
                              {"name": "发放人数", "value": "≥80人数", "declared_level1": "产出"},
                              {"name": "视频监控在线率", "value": "≥0.97比例", "declared_level1": "产出"},
                              {"name": "雾炮车风炮射程", "value": "≥80M", "declared_level1": "产出"},
                              {"name": "出差人次", "value": "=24人/次", "declared_level1": "产出"}))
    good = Example(indicators=({"name": "单位承担面积", "value": "≤1780平方米", "declared_level1": "产出"},
                               {"name": "雾炮车风炮射程", "value": "≥80米", "declared_level1": "产出"},
                               {"name": "出差人次", "value": "=24人次", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        nonstandard = lex("units").get("nonstandard", {})
        cfg = lex("directions").get("units", {})
        safe = set(cfg.get("safe_fix", []))
        incoherent = IncoherentUnit()
        for ind, v in ctx.viewed():
            found = None
            for n in v.numbers:
                for printed, canonical, dim in n.unit.parts:
                    if printed in nonstandard:
                        found = (n, printed, canonical)
                        break
                    if dim == "count" and n.unit.rest.startswith(_COUNT_NOUN) and len(n.unit.parts) == 1:
                        # ≥80人数, 100户数: the noun "number of X" printed where the unit X is meant
                        found = (n, printed + _COUNT_NOUN, canonical)
                        break
                if found:
                    break
            if not found or incoherent._problem(ind, v):
                continue  # no nonstandard unit, or a unit wrong altogether (KPI501 says so)
            n, printed, standard = found
            name = fold(ind.name)
            meaning = ("", "")
            if printed in ("M", "T"):
                if printed == "M" and any(w in name for w in cfg.get("data_words", [])):
                    standard = "Mbps 或 MB"
                elif not (printed == "M" and any(w in name for w in cfg.get("length_words", []))):
                    meaning = ("（既可指“米”也可指“兆”）" if printed == "M" else "（既可指“吨”也可指“TB”）",
                               " (it may mean metre or mega)" if printed == "M" else " (tonne or TB?)")
            fix = None
            if standard == "%" and 0 < n.value <= 1 and "." in n.text:
                # ≥0.97比例: a fraction with the word for a share; as a percentage it is 97%
                fix = v.text[:n.start] + f"{n.value * 100:g}%" + v.text[n.end + len(printed):]
            elif (printed in safe or printed.endswith(_COUNT_NOUN)) and len(v.numbers) == 1:
                fix = v.text.replace(printed, standard, 1) if printed != "百分比" else v.text.replace("百分比", "%", 1)
            how = ("，即“" + fix + "”", ", i.e. '" + fix + "'") if fix else ("（请按实际含义确认）", " (confirm the intended meaning)")
            yield Hit(indicator=ind, fix=fix, args={
                "unit": printed, "standard": standard, "meaning_zh": meaning[0], "meaning_en": meaning[1],
                "how_zh": how[0], "how_en": how[1]})


@register
class ZeroAmount(Rule):
    code = "KPI507"
    name = "zero-amount"
    severity = "warning"
    judges_value = True
    summary = "成本或金额目标为0（=0万元、=0万元/人），多为取整到“万元”造成"
    summary_en = "A cost or amount target of zero (=0万元), usually rounding to 万元"
    why = "列了成本指标却填 0，要么是单位过大被取整（0.125 万元/人 写成 0），要么指标不成立；单位成本为 0 则不可能。"
    why_en = "A cost line targeted at zero is either rounded away by a too-large unit or meaningless; a zero unit cost is impossible."
    source = "ANNOTATION.md KPI5; rules.md §3.5"
    messages = {
        "zh": "成本指标“{name}”的目标值“{value}”为0{what_zh}。",
        "en": "The cost target '{value}' of '{name}' is zero{what_en}.",
    }
    suggestions = {
        "zh": "用更小的单位保留精度（如“{example}”），或填写实际的成本上限；确无此项支出的，删除该指标。",
        "en": "Use a smaller unit to keep the precision (e.g. '{example}'), or state the real cost ceiling; "
              "drop the line if there is no such spending.",
    }
    bad = Example(indicators=({"name": "出差单位成本", "value": "=0万元/人", "declared_level1": "成本"},
                              {"name": "办公费总成本", "value": "=0万元", "declared_level1": "成本"}))
    good = Example(indicators=({"name": "出差单位成本", "value": "≤1250元/人", "declared_level1": "成本"},
                               {"name": "超支金额", "value": "=0万元", "declared_level1": "成本"},
                               {"name": "保证稳定，不出现极端事件", "value": "≤0次", "declared_level1": "效益"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        zero_fine = lex("directions").get("expects", {}).get("zero_fine", [])
        for ind, v in ctx.viewed():
            n = v.single
            if n is None or n.value != 0 or not n.unit.parts or n.unit.parts[0][2] != "money":
                continue
            if v.comparator not in (None, "=") or any(w in fold(ind.name) for w in zero_fine):
                continue
            if not _money_context(ind):
                continue
            per_unit = len(n.unit.parts) > 1
            what = ("（单位成本不可能为0）", " (a unit cost cannot be zero)") if per_unit else ("", "")
            per = n.unit.parts[1][1] if per_unit else ""
            example = f"≤1250元/{per}" if per_unit else "≤3000元"
            yield Hit(indicator=ind, severity="error" if per_unit else None,
                      args={"what_zh": what[0], "what_en": what[1], "example": example})


def _satisfaction_percent(ind: Indicator) -> Optional[tuple[float, str]]:
    """(the %, the comparator) of a satisfaction target such as '≥60%' or '群众满意度达到70%'."""
    if ind.category != "满意度" and "满意" not in fold(ind.name):
        return None
    r = read_name(ind.name)
    if r.direction == "negative" or "不满意" in fold(ind.name + ind.value):
        return None  # 不满意率 / 投诉率: lower is better
    p = ind.parsed
    if p is None or p.kind != "quantity" or p.unit_canonical != "%" or p.number is None:
        return None
    return p.number, p.comparator or ""


@register
class SatisfactionBelowFloor(Rule):
    code = "KPI508"
    name = "satisfaction-below-floor"
    severity = "warning"
    judges_value = True
    summary = "满意度目标低于下限（默认 80%，可配置）"
    summary_en = "A satisfaction target below the floor (80% by default, configurable)"
    why = ("满意度目标过低（如“≥60%”）等于预先接受多数服务对象不满意，审核时会被要求说明依据或提高；"
           "实际目标多在 85%–95%。下限由 thresholds.satisfaction_floor 设定。")
    why_en = ("A low satisfaction target ('≥60%') accepts in advance that many of those served are unhappy; "
              "reviewers ask for a reason or a higher target (real tables sit at 85–95%). "
              "The floor is thresholds.satisfaction_floor.")
    source = "rules.md SAT-001; threshold config.thresholds.satisfaction_floor"
    messages = {
        "zh": "满意度指标“{name}”的目标值“{value}”低于 {floor}%。",
        "en": "The satisfaction target '{value}' of '{name}' is below {floor}%.",
    }
    suggestions = {
        "zh": "按以往调查结果设定不低于 {floor}% 的目标，如“≥{suggested}%”；确需较低目标时在设置说明中写明依据。",
        "en": "Set a target of at least {floor}% from past surveys, e.g. '≥{suggested}%', or explain why it is lower.",
    }
    bad = Example(indicators=({"name": "服务对象满意度", "value": "≥60%", "declared_level1": "满意度"},))
    good = Example(indicators=({"name": "服务对象满意度", "value": "≥90%", "declared_level1": "满意度"},
                               {"name": "群众不满意率", "value": "≤5%", "declared_level1": "满意度"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        floor = ctx.config.thresholds.satisfaction_floor
        for ind in ctx.indicators:
            found = _satisfaction_percent(ind)
            if found is None:
                continue
            number, comparator = found
            if comparator in ("≤", "<") or not 0 < number < floor:
                continue  # an inverted sign (KPI301) or ≥0% (KPI303) is another rule's business
            yield Hit(indicator=ind, args={"floor": f"{floor:g}", "suggested": f"{max(floor, 90.0):g}"})


_WHOLE_COUNT_UNITS = {"人", "个", "次", "台", "套", "项", "张", "户", "名", "家", "所", "座", "辆", "件", "场", "期",
                      "批", "处", "间", "栋", "株", "头", "只", "篇", "份", "部", "本", "册", "条", "人次", "户次", "班"}


@register
class FractionalCount(Rule):
    code = "KPI509"
    name = "fractional-count"
    severity = "warning"
    judges_value = True
    summary = "按个数计量的目标带小数（2.5人、0.5台）"
    summary_en = "A count of whole things with a fraction (2.5人, 0.5台)"
    why = "人数、台数、次数只能是整数；带小数多半是把金额、比例或“万人”写错了单位，年底无法核对。"
    why_en = "People, machines and events come in whole numbers; a fraction usually means a wrong unit (a sum, a share, 万人)."
    source = "rules.md VAL-010"
    messages = {
        "zh": "指标“{name}”的目标值“{value}”以“{unit}”计量却带小数。",
        "en": "The target '{value}' of '{name}' counts in '{unit}' but has a fraction.",
    }
    suggestions = {
        "zh": "核对单位：整数个数写作如“≥{rounded}{unit}”，较大的数可用“万{unit}”。",
        "en": "Check the unit: a whole count such as '≥{rounded}{unit}', or 万{unit} for large numbers.",
    }
    bad = Example(indicators=({"name": "培训人数", "value": "≥2.5人", "declared_level1": "产出", "declared_level2": "数量"},))
    good = Example(indicators=({"name": "培训人数", "value": "≥2.5万人", "declared_level1": "产出", "declared_level2": "数量"},
                               {"name": "人均培训天数", "value": "≥1.5天", "declared_level1": "产出"},
                               {"name": "每人每年体检", "value": "0.5次/人", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            p = ind.parsed
            if p is None or p.kind != "quantity" or p.number is None or p.number_problem:
                continue
            unit = p.unit_canonical or ""
            if unit not in _WHOLE_COUNT_UNITS or p.number == int(p.number) or p.cadence:
                continue
            if "均" in fold(ind.name) or "每" in fold(ind.name) or "/" in (p.unit or "") or "每" in fold(ind.value):
                continue  # 人均2.5次, 每千人口床位数6.5张, 0.5次/人: an average is not a count
            yield Hit(indicator=ind, args={"unit": unit, "rounded": f"{round(p.number) or 1:g}"})
