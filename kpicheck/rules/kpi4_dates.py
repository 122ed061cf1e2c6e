"""KPI4xx dates and time: impossible dates, Excel serials, annual targets outside the budget year,
periods ending before they start, and 时效 values that name no time at all.

Dates come from the value parser (`ParsedValue.dates`, `period_start/end`) when it found them,
and are otherwise read here from the value and the name (YYYY年M月D日, M月D日, YYYY.M.D,
YYYY-M-D, YYYY.MM–YYYY.MM, YYYYMM–YYYYMM).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Optional

from kpicheck import patterns
from kpicheck.models import Indicator
from kpicheck.rules._reading import fold, lex, read_name, subcategory_of, view
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register
from kpicheck.textcache import text_cache

YEAR_MIN, YEAR_SPAN = 1949, 30  # a year beyond budget year + 30 is a typo (3021, 2203)
SERIAL_MIN, SERIAL_MAX = 36526, 54789  # Excel day numbers of 2000-01-01 .. 2049-12-31
EXCEL_EPOCH = date(1899, 12, 30)

_SEP = r"\s*(?:-|—|–|~|～|至|到)\s*"
_TIME_NAME_END = patterns.compile(r"(时间|日期|时限|期限|截止|起止|节点)$")
_LIFETIME = patterns.compile(r"(年限|寿命|质保|保修|有效期|使用期)")
_ANY_TIME = patterns.compile(r"\d|[一二三四五六七八九十]个?[月日天年周]|季度")
_FULL = patterns.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DOTTED = patterns.compile(r"(?<![\d.])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?![\d.])")
_MONTH_DAY = patterns.compile(r"(?<![\d年.])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YEAR_MONTH = patterns.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_RANGE_DOT = patterns.compile(r"(?<![\d.])(\d{4})[./](\d{1,2})" + _SEP + r"(\d{4})[./](\d{1,2})(?![\d.])")
_RANGE_COMPACT = patterns.compile(r"(?<!\d)(\d{4})(\d{2})(?!\d)" + _SEP + r"(\d{4})(\d{2})(?!\d)")
_RANGE_CN = patterns.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?" + _SEP +
                             r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_DIGIT = patterns.compile(r"\d")
_DATE_MARK = patterns.compile(r"[年月./\-—–~～至到]")  # every date and period pattern above needs one
_YEAR = patterns.compile(r"(?<!\d)(\d{4})\s*(?:年|\.\d{1,2}(?!\d))")


@dataclass
class FoundDate:
    text: str
    start: int
    end: int
    year: Optional[int]
    month: Optional[int]
    day: Optional[int] = None

    def problem(self, budget_year: Optional[int]) -> Optional[str]:
        """Why this is no calendar date: "month", "day", "year"; None when it is fine."""
        if self.month is not None and not 1 <= self.month <= 12:
            return "month"
        if self.year is not None and not (YEAR_MIN <= self.year <= (budget_year or date.today().year) + YEAR_SPAN):
            return "year"
        if self.day is not None and self.month is not None:
            year = self.year or budget_year or 2001  # without a year, 2月29日 is judged in the budget year
            if not 1 <= self.day <= calendar.monthrange(year, self.month)[1]:
                return "day"
        return None

    def key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)


def find_dates(text: str) -> list[FoundDate]:
    """Every date printed in a text, each once (full dates first, then partial ones)."""
    text = fold(text)
    if not _DIGIT.search(text) or not _DATE_MARK.search(text):
        return []  # every date form below has digits and 年, 月 or a separator; most texts lack one
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, y, mo, d=None) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(FoundDate(m.group(), m.start(), m.end(), y, mo, d))

    for m in _FULL.finditer(text):
        add(m, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _DOTTED.finditer(text):
        add(m, int(m.group(1)), int(m.group(3)), int(m.group(4)))
    for m in _MONTH_DAY.finditer(text):
        add(m, None, int(m.group(1)), int(m.group(2)))
    for m in _YEAR_MONTH.finditer(text):
        add(m, int(m.group(1)), int(m.group(2)))
    return sorted(found, key=lambda f: f.start)


@dataclass
class FoundPeriod:
    text: str
    start: FoundDate
    end: FoundDate


def find_periods(text: str) -> list[FoundPeriod]:
    text = fold(text)
    if not _DIGIT.search(text) or not _DATE_MARK.search(text):
        return []
    out = []
    for rx in (_RANGE_DOT, _RANGE_COMPACT):
        for m in rx.finditer(text):
            y1, m1, y2, m2 = (int(g) for g in m.groups())
            out.append(FoundPeriod(m.group(), FoundDate(m.group(), m.start(), m.end(), y1, m1),
                                   FoundDate(m.group(), m.start(), m.end(), y2, m2)))
    for m in _RANGE_CN.finditer(text):
        y1, m1, d1, y2, m2, d2 = m.groups()
        out.append(FoundPeriod(m.group(),
                               FoundDate(m.group(), m.start(), m.end(), int(y1), int(m1), int(d1) if d1 else None),
                               FoundDate(m.group(), m.start(), m.end(), int(y2 or y1), int(m2), int(d2) if d2 else None)))
    return out


_COMPACT_MONTH = patterns.compile(r"(?<!\d)(\d{4})(\d{2})(?!\d)")


def project_dates(text: Optional[str]) -> list[FoundDate]:
    """Dates in a project's 起止时间, where columns may leave only spaces between them
    (`202101 302112`, `起 2023.01 止 2023.12`)."""
    if not text:
        return []
    text = fold(text)
    dates = find_dates(text) + [d for p in find_periods(text) for d in (p.start, p.end)]
    for m in _COMPACT_MONTH.finditer(text):
        dates.append(FoundDate(m.group(), m.start(), m.end(), int(m.group(1)), int(m.group(2))))
    return dates


@text_cache(4096)  # KPI401 reads every name and value, KPI501/502 every value
def calendar_dates(text: str) -> tuple[FoundDate, ...]:
    """The dates of a text (`find_dates`), then the start and end of each of its periods."""
    return (*find_dates(text), *(d for p in find_periods(text) for d in (p.start, p.end)))


def _parsed_dates(ind: Indicator) -> list[FoundDate]:
    """Dates the value parser found, in this module's terms."""
    p = ind.parsed
    if not p:
        return []
    return [FoundDate(d.text, d.span.start, d.span.end, d.year, d.month, d.day) for d in p.dates if not d.excel_serial]


def is_time_indicator(ind: Indicator) -> bool:
    """A 时效 indicator: filed or read as 时效, or named as a time (完成时间, 截止日期, 时限)."""
    if ind.subcategory == "时效" or ind.declared_level2 == "时效":
        return True
    return _named_as_time(ind.name)


@text_cache(4096)  # asked by several rules of every indicator
def _named_as_time(name: str) -> bool:
    head = read_name(name).head
    return any(w in head for w in lex("directions").get("time_names", {}).get("words", [])) or \
        bool(_TIME_NAME_END.search(head))


def _filed_as_timeliness(ind: Indicator) -> bool:
    """Filed under 时效, or read as 时效 where the table files it nowhere else in particular."""
    if ind.declared_level2:
        return ind.declared_level2 == "时效"
    return ind.subcategory == "时效" and ind.declared_level1 not in ("效益", "满意度")


def excel_serial(ind: Indicator) -> Optional[tuple[int, date]]:
    """An Excel day number printed where a date belongs (`44561` for 2021-12-31)."""
    p = ind.parsed
    if p and p.dates and any(d.excel_serial for d in p.dates):
        d = next(d for d in p.dates if d.excel_serial)
        if d.year and d.month and d.day:
            serial = (date(d.year, d.month, d.day) - EXCEL_EPOCH).days
            return serial, date(d.year, d.month, d.day)
    if not is_time_indicator(ind):
        return None
    v = view(ind)
    for n in v.numbers:
        if n.unit.parts or n.unit.magnitude or not float(n.value).is_integer():
            continue
        if SERIAL_MIN <= n.value <= SERIAL_MAX:
            serial = int(n.value)
            return serial, EXCEL_EPOCH + timedelta(days=serial)
    return None


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------- rules


@register
class ImpossibleDate(Rule):
    code = "KPI401"
    name = "impossible-date"
    severity = "error"
    judges_value = True
    summary = "日期不存在：11月31日、非闰年2月29日、13月、3021年、202101–302112"
    summary_en = "A date that does not exist: 31 November, 29 February of a common year, month 13, year 3021"
    why = "不存在的日期无法作为考核时点，通常是笔误或复制错误，评审会直接退回。"
    why_en = "A date that does not exist cannot be a deadline; it is a typo or a copy error reviewers send back."
    source = "rules.md TIM-001 (S9)"
    messages = {
        "zh": "{where_zh}中的日期“{date}”不存在（{problem_zh}）。",
        "en": "The date '{date}' in {where_en} does not exist ({problem_en}).",
    }
    suggestions = {"zh": "{advice_zh}", "en": "{advice_en}"}
    bad = Example(indicators=({"name": "运维维护时间", "value": "2023年11月31日", "declared_level1": "产出",
                               "declared_level2": "时效"},
                              {"name": "项目实施期", "value": "202101-302112", "declared_level1": "产出",
                               "declared_level2": "时效"}))
    good = Example(indicators=({"name": "运维维护时间", "value": "2023年11月30日前", "declared_level1": "产出",
                                "declared_level2": "时效"},
                               {"name": "完成时间", "value": "2024年2月29日", "declared_level1": "产出",
                                "declared_level2": "时效"}), budget_year=2024)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        year = ctx.budget_year
        for ind in ctx.indicators:
            seen = set()
            for where, text in (("value", ind.value), ("name", ind.name)):
                folded = fold(text)
                dates = calendar_dates(folded)
                if where == "value" and ind.parsed and ind.parsed.dates:
                    dates += tuple(_parsed_dates(ind))
                for d in dates:
                    problem = d.problem(year)
                    if not problem or (d.year, d.month, d.day) in seen:
                        continue
                    seen.add((d.year, d.month, d.day))
                    yield self._hit(ind, d, problem, folded if where == "value" else None, year)
        for project in ctx.projects:  # 项目起止时间 printed outside the indicator table
            for d in project_dates(project.period_text):
                problem = d.problem(project.budget_year or year)
                if problem:
                    yield self._hit(None, d, problem, None, project.budget_year or year, project.name)
                    break

    def _hit(self, ind: Optional[Indicator], d: FoundDate, problem: str, value: Optional[str],
             year: Optional[int], project: Optional[str] = None) -> Hit:
        shown = _shown(d)
        fix = None
        if problem == "day":
            last = calendar.monthrange(d.year or year or 2001, d.month)[1]
            advice = (f"{d.month}月只有{last}天，改为“{d.month}月{last}日”。",
                      f"Month {d.month} has {last} days: write '{d.month}月{last}日'.")
            if value is not None and d.text in value and d.day is not None:
                fix = value.replace(d.text, re.sub(rf"{d.day}(\s*[日号])$", rf"{last}\1", d.text), 1)
            problems = (f"{d.month}月没有{d.day}日", f"month {d.month} has no day {d.day}")
        elif problem == "month":
            advice = ("核对月份（1–12）。", "Check the month (1-12).")
            problems = (f"月份{d.month}超出1–12", f"month {d.month} is not 1-12")
        else:
            guess = _year_guess(d.year, year)
            hint_zh = f"，可能应为{guess}年" if guess else ""
            hint_en = f"; probably {guess}" if guess else ""
            advice = (f"核对年份{hint_zh}。", f"Check the year{hint_en}.")
            problems = (f"年份{d.year}不合理", f"the year {d.year} is implausible")
        if ind is not None:
            where = (f"指标“{ind.name}”", f"'{ind.name}'")
        else:
            where = (f"项目“{project}”的起止时间", f"the period of project '{project}'")
        return Hit(indicator=ind, project=project, fix=fix, args={
            "where_zh": where[0], "where_en": where[1], "date": shown, "problem_zh": problems[0], "problem_en": problems[1],
            "advice_zh": advice[0], "advice_en": advice[1]})


def _shown(d: FoundDate) -> str:
    if d.text and len(d.text) <= 14:
        return d.text
    return "".join(x for x in (f"{d.year}年" if d.year else "", f"{d.month}月" if d.month else "",
                               f"{d.day}日" if d.day else ""))


def _year_guess(bad: Optional[int], budget_year: Optional[int]) -> Optional[int]:
    """3021 in a 2021 document: one mistyped digit of a nearby year."""
    if not bad or not budget_year:
        return None
    for candidate in range(budget_year - 1, budget_year + 3):
        a, b = str(candidate), str(bad)
        if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1:
            return candidate
    return None


@register
class ExcelSerialDate(Rule):
    code = "KPI402"
    name = "excel-serial-date"
    severity = "error"
    judges_value = True
    summary = "时间指标填的是 Excel 日期序号（如 44561），不是日期"
    summary_en = "An Excel day number (such as 44561) where a date belongs"
    why = "从表格复制时日期变成了序号，读者无法识别考核时点。"
    why_en = "Copying from a spreadsheet turned the date into its day number, which no reader can use."
    source = "rules.md TIM-001; ANNOTATION.md KPI4"
    messages = {
        "zh": "指标“{name}”的值“{value}”是 Excel 日期序号 {serial}（即{date}），不是日期。",
        "en": "The value '{value}' of '{name}' is the Excel day number {serial} ({date}), not a date.",
    }
    suggestions = {"zh": "写成日期，如“{date}前”。", "en": "Write the date, e.g. '{date}前'."}
    bad = Example(indicators=({"name": "项目财政资金到位时间", "value": "=44,561 44,561",
                               "declared_level1": "产出", "declared_level2": "时效"},), budget_year=2021)
    good = Example(indicators=({"name": "项目财政资金到位时间", "value": "2021年12月31日前",
                                "declared_level1": "产出", "declared_level2": "时效"},
                               {"name": "免费开放接待观众人数", "value": "=45000人次", "declared_level1": "效益"}),
                   budget_year=2021)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            found = excel_serial(ind)
            if found:
                serial, d = found
                yield Hit(indicator=ind, fix=_cn(d), args={"serial": serial, "date": _cn(d)})


@register
class OutsideBudgetYear(Rule):
    code = "KPI403"
    name = "outside-budget-year"
    severity = "warning"
    judges_value = True
    summary = "年度指标的完成时间或期间超出预算年度（2023年预算写“2023.07-2024.01”、“<2年”）"
    summary_en = "An annual target whose deadline or period falls outside the budget year"
    why = ("年度绩效目标是当年预算的细化，时间应落在预算年度内；跨年或写上一年的日期，"
           "多是照抄往年或混淆了实施期目标与年度目标。")
    why_en = ("Annual targets refine this year's budget, so their time must fall within the budget year; "
              "a date in another year usually comes from last year's table or from the multi-year target.")
    source = "rules.md TIM-002 (S6, S10)"
    messages = {
        "zh": "年度指标“{name}”的时间“{when}”{problem_zh}，不在{year}年预算年度内。",
        "en": "The annual target '{name}' has the time '{when}' {problem_en}, outside the budget year {year}.",
    }
    suggestions = {
        "zh": "年度目标只写{year}年内应完成的部分（如“{year}年12月31日前”）；跨年内容放在实施期目标中。",
        "en": "State only what is due within {year} (e.g. '{year}年12月31日前'); multi-year content belongs "
              "to the implementation-period targets.",
    }
    bad = Example(indicators=({"name": "服务周期", "value": "2023.07-2024.01", "declared_level1": "产出",
                               "declared_level2": "时效"},
                              {"name": "按年度支付", "value": "<2年", "declared_level1": "产出"}))
    good = Example(indicators=({"name": "服务周期", "value": "2023.01-2023.12", "declared_level1": "产出",
                                "declared_level2": "时效"},
                               {"name": "工程设计使用年限", "value": "≥20年", "declared_level1": "效益",
                                "declared_level2": "可持续影响"},
                               {"name": "服务周期", "value": "2023.07-2025.06", "declared_level1": "产出",
                                "declared_level2": "时效", "period": "long_term"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            if ind.period != "annual":
                continue
            project = ctx.project(ind.project)
            year = ctx.budget_year or (project.budget_year if project else None)
            if not year:
                continue
            hit = self._outside_year(ind, year) or self._long_window(ind, year)
            if hit:
                yield hit

    def _outside_year(self, ind: Indicator, year: int) -> Optional[Hit]:
        if not (is_time_indicator(ind) or (ind.parsed and ind.parsed.kind in ("date", "period"))):
            return None
        text = fold(ind.value)
        dates = [d for p in find_periods(text) for d in (p.start, p.end)] + find_dates(text)
        for d in dates:
            if d.year and d.year != year and d.problem(year) is None:
                when = d.text if len(d.text) <= 24 else _shown(d)
                problem = ("晚于" if d.year > year else "早于") + "预算年度"
                return Hit(indicator=ind, args={"when": when, "year": year, "problem_zh": f"（{d.year}年）{problem}",
                                                "problem_en": f"(in {d.year})"})
        return None

    def _long_window(self, ind: Indicator, year: int) -> Optional[Hit]:
        """`<2年`, `≤18个月`: an annual target allowed to take longer than the year."""
        if subcategory_of(ind) & {"可持续影响"}:
            return None
        v = view(ind)
        n = v.single
        if n is None or v.comparator not in ("≤", "<") or not n.unit.parts:
            return None
        unit = n.unit.parts[0][1]
        months = n.value * 12 if unit == "年" else (n.value if unit == "月" else None)
        if months is None or months <= 12:
            return None
        if _LIFETIME.search(ind.name):
            return None
        return Hit(indicator=ind, args={"when": ind.value, "year": year,
                                        "problem_zh": "允许超过一年", "problem_en": "allowing more than a year"})


@register
class PeriodEndsBeforeStart(Rule):
    code = "KPI404"
    name = "period-ends-before-start"
    severity = "error"
    judges_value = True
    summary = "期间的结束早于开始（2024.07-2024.01）"
    summary_en = "A period that ends before it starts"
    why = "起止颠倒的期间不存在，无法据以考核，通常是录入错误。"
    why_en = "A period whose end precedes its start does not exist; it is an entry error."
    source = "rules.md TIM-004"
    messages = {
        "zh": "指标“{name}”的期间“{period}”结束早于开始。",
        "en": "The period '{period}' of '{name}' ends before it starts.",
    }
    suggestions = {"zh": "核对起止时间，按“开始-结束”的顺序填写。", "en": "Check the dates and write start-end in order."}
    bad = Example(indicators=({"name": "项目实施期", "value": "2024.07-2024.01", "declared_level1": "产出",
                               "declared_level2": "时效"},), budget_year=2024)
    good = Example(indicators=({"name": "项目实施期", "value": "2024.01-2024.07", "declared_level1": "产出",
                                "declared_level2": "时效"},), budget_year=2024)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            periods = find_periods(ind.value)
            p = ind.parsed
            if p and p.period_start and p.period_end and p.period_start.year and p.period_end.year:
                s, e = p.period_start, p.period_end
                periods.append(FoundPeriod(ind.value, FoundDate(s.text, 0, 0, s.year, s.month, s.day),
                                           FoundDate(e.text, 0, 0, e.year, e.month, e.day)))
            for period in periods:
                if period.start.problem(ctx.budget_year) or period.end.problem(ctx.budget_year):
                    continue  # an impossible date is KPI401's
                if period.end.key() < period.start.key():
                    yield Hit(indicator=ind, args={"period": period.text})
                    break
