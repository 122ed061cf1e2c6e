"""parse_value: one value text → ParsedValue. Order: fold → placeholders → dates → numbers with
their comparators and units → qualitative words. Spans are mapped back to the original text."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from kpicheck import patterns
from kpicheck.models import DateValue, ParsedValue
from kpicheck.values import dates as D
from kpicheck.values.grammar import CN_DIGITS, CN_NUMERAL_CHARS, Grammar
from kpicheck.values.text import Folded, fold
from kpicheck.values.units import Unit, at_boundary, read_unit

NUMBER = patterns.compile(r"(?<![\d.,])\d+(?:,\d+)*(?:\.\d+)?(?!\d)")
CN_PERCENT = patterns.compile(r"百分之(?P<n>[零〇一二两三四五六七八九十百点]+)")
# Financial (大写) numerals, as amounts are written on forms: 叁拾万元.
FINANCIAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟", "一二二三三四五六六七八九十百千")
_FIN_DIGITS = "壹贰貳叁參肆伍陆陸柒捌玖拾"
_FIN_CHARS = _FIN_DIGITS + "佰仟"
CN_NUMBER = patterns.compile(
    rf"(?<![{CN_NUMERAL_CHARS}{_FIN_CHARS}\d])[{CN_NUMERAL_CHARS}{_FIN_CHARS}]*[{CN_DIGITS}{_FIN_DIGITS}]"
    rf"[{CN_NUMERAL_CHARS}{_FIN_CHARS}]*(?!\d)")
_CN_DIGIT = patterns.compile(rf"[{CN_DIGITS}{_FIN_DIGITS}]")
# 九成以上, 8成: tenths, read as a percentage (not 完成, 建成: a numeral must come first)
CN_TENTHS = regex.compile(  # `regex`: linear on long numeral runs where `re` is quadratic
    r"(?<![\d.])(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*成(?![本员果效绩立熟]|不变)")
# '95%(含)以上': the inclusive note between a number and its suffix comparator
# Precompiled: a module-level `re.fullmatch(pattern, …)` looks the pattern up on each call.
_OCR_PERCENT = patterns.compile(r"2\d\d")  # '295%': an OCR'd '≥95%'
_SERIAL_DIGITS = patterns.compile(r"\d{2},?\d{3}")  # an Excel date serial (45,291)
_CUTOFF = patterns.compile(r"截[止至]")
_INCLUSIVE = patterns.compile(r"[（(]\s*含\s*[)）]")
APPROX_BEFORE = patterns.compile(r"(?:大约|将近|接近|约|近|逾)\Z")
APPROX_AFTER = ("余", "多")  # after a number or magnitude: 30多个, 11万余人
RANGE_SEP = patterns.compile(r"-|~|至|到")
# single characters first: the regular expressions only where they may match
_APPROX_LAST = ("约", "近", "逾")  # what APPROX_BEFORE ends in
_RANGE_FIRST = ("-", "~", "至", "到")  # RANGE_SEP
TRAILING = " 。.,，;；!！、"
SEVEN_DIGITS = set(CN_DIGITS) - {"十"}
# A Chinese numeral with no unit is a number only as the whole value, after a copula at most
# ('为零' on 犯罪率, '零'); inside words (一流, 三农) it is no number.
_NUMERAL_ALONE = patterns.compile(rf"\s*(?:为|是|等于)?\s*[{CN_DIGITS}]{{1,3}}\s*")


_DEFAULTS = {name: (f.get_default(call_default_factory=True)) for name, f in ParsedValue.model_fields.items()}


class _Out:
    """ParsedValue under construction: plain attributes (pydantic setattr is slow), built once."""

    def __init__(self, text: str):
        self.__dict__.update(_DEFAULTS)
        self.text = text
        self.dates = []
        self.numbers = []

    def build(self) -> ParsedValue:
        # the fields that differ from their defaults (`text` has none); `is` first, and no `!=`
        # against a None default (a DateValue's != is a Python-level pydantic __eq__)
        fields = {k: v for k, v in self.__dict__.items()
                  if v is not (d := _DEFAULTS[k]) and (d is None or v != d)}
        return ParsedValue(**fields)


def _span(start: int, end: int) -> dict[str, int]:
    """A Span as the model that holds it validates it: pydantic-core builds it with its parent
    (ParsedValue, DateValue), ~4x cheaper than a Span made here."""
    return {"start": start, "end": end}


@dataclass
class Cmp:
    text_start: int
    text_end: int
    canonical: str
    kind: str  # symbol | prefix | suffix
    word: str


@dataclass
class Quantity:
    start: int
    end: int
    value: float | None
    problem: str | None = None
    approx: bool = False
    unit: Unit | None = None
    comparators: list[Cmp] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    leading_unit: Unit | None = None
    ocr: str | None = None
    chinese: bool = False


def _arabic(text: str) -> tuple[float, str | None]:
    whole = text.split(".")[0]
    groups = whole.split(",")
    problem = None
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(x) == 3 for x in groups[1:])):
        problem = "bad-thousands-separator"
    return float(text.replace(",", "")), problem


_MAX_NUMERAL_CHARS = 40  # longer runs of numerals are no number anyone writes (and cn2an is quadratic on them)


def _small_numerals() -> dict[str, float]:
    """The numerals below 100 that documents write most (一年, 两次, 十二个月, 三十五人): one
    lookup instead of cn2an, whose import costs ~0.1 s per process (a cold start on a document
    with 一 in it paid that for 1.0). Equal to cn2an on every entry (tests/test_fast_paths.py)."""
    digits = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
    table = {"零": 0.0, "〇": 0.0, "十": 10.0, "百": 100.0}  # 百 alone: 百分之百 (cn2an refuses it)
    for d, v in digits.items():
        table[d] = float(v)
        table["十" + d] = 10.0 + v
        table[d + "十"] = 10.0 * v
        for e, w in digits.items():
            table[d + "十" + e] = 10.0 * v + w
    return table


SMALL_NUMERALS = _small_numerals()


def _chinese(text: str) -> float | None:
    if len(text) > _MAX_NUMERAL_CHARS:
        return None
    text = text.translate(FINANCIAL)
    small = SMALL_NUMERALS.get(text)
    if small is not None:
        return small
    import cn2an  # ~0.1 s to import (with `proces`): only for numerals the table above lacks

    try:
        return float(cn2an.cn2an(text, "smart"))
    except Exception:  # cn2an raises ValueError and others on odd input
        return None


class Parser:
    def __init__(self, g: Grammar):
        g_sym = patterns.compile(rf"(?:{g.symbol_run.pattern})\Z")
        self.g = g
        self.sym_before = g_sym
        self.prefix_before = patterns.compile(rf"(?:{g.prefix_word.pattern})\Z")
        # a comparator ends in one of these: before any other character none can end
        words = (*g.symbols, *g.prefixes)
        self.comparator_endings = {w[-1] for w in words} if all(words) else None

    # ------------------------------------------------------------ comparators around a number
    def _comparators_before(self, s: str, pos: int) -> tuple[list[Cmp], int]:
        g, found = self.g, []
        for _ in range(3):
            ends = self.comparator_endings
            if ends is not None and (pos == 0 or s[pos - 1] not in ends):
                break
            m = self.sym_before.search(s, max(0, pos - 12), pos)
            if m:
                found[:0] = [Cmp(t.start(), t.end(), g.symbols[t.group()], "symbol", t.group())
                             for t in g.symbol_token.finditer(s, m.start(), m.end())]
                pos = m.start()
                continue
            m = self.prefix_before.search(s, max(0, pos - 6), pos)
            if m:
                found.insert(0, Cmp(m.start(), m.end(), g.prefixes[m.group()], "prefix", m.group()))
                pos = m.start()
                continue
            break
        return found, pos

    def _quantity(self, s: str, ns: int, ne: int, value: float | None, problem, taken) -> Quantity:
        g = self.g
        q = Quantity(ns, ne, value, problem)
        pos = ns
        if ns > 0 and s[ns - 1] == "±":
            q.low, q.high, pos = -(value or 0), value, ns - 1
        a = APPROX_BEFORE.search(s, max(0, pos - 2), pos) if s[pos - 1:pos] in _APPROX_LAST else None
        if a:
            q.approx, pos = True, a.start()
        q.comparators, pos = self._comparators_before(s, pos)
        if q.comparators and pos > 0:
            lead = read_unit(g, s, 0)
            if lead and lead.end == pos and lead.canonical:
                q.leading_unit = lead
        p = ne
        if s[p:p + 1] in APPROX_AFTER and read_unit(g, s, p + 1):
            q.approx, p = True, p + 1
        q.unit = read_unit(g, s, p)
        if q.unit:
            p = q.unit.end
            if q.unit.canonical is None and q.unit.problem == "incomplete" and s[p:p + 1] in APPROX_AFTER:
                q.approx, p = True, p + 1  # 11万余人: the magnitude, 余, then the unit
                rest = read_unit(g, s, p)
                if rest is not None and rest.canonical and rest.base:
                    mag = s[q.unit.start:q.unit.end]
                    q.unit = Unit(q.unit.start, rest.end, mag + rest.canonical, rest.dimension,
                                  rest.problem, rest.suggestion, q.unit.scale * rest.scale, rest.base)
                    p = rest.end
        # a range: 85%-95%, 3-5个
        r = RANGE_SEP.match(s, p) if s[p:p + 1] in _RANGE_FIRST else None
        if r and q.low is None:
            n2 = NUMBER.match(s, r.end())
            if n2 and not taken(n2.start(), n2.end()):
                v2, _ = _arabic(n2.group())
                q.low, q.high, p = value, v2, n2.end()
                u2 = read_unit(g, s, p)
                if u2:
                    p = u2.end
                    q.unit = q.unit or u2
        if s.startswith("左右", p):
            q.approx, p = True, p + 2
        inclusive = _INCLUSIVE.match(s, p, p + 12) if s[p:p + 1] in ("(", "（") else None
        m = g.suffix_word.match(s, inclusive.end() if inclusive else p)
        if m and (q.unit is not None or m.group() != "内"):
            q.comparators.append(Cmp(m.start(), m.end(), g.suffixes[m.group()], "suffix", m.group()))
            p = m.end()
        q.end = p
        return q

    # ------------------------------------------------------------ the whole value
    def parse(self, text: str) -> ParsedValue:
        g = self.g
        f = fold(text, g.traditional)
        s = f.text
        out = _Out(text)
        if not s.strip(TRAILING):
            out.kind = "empty"
            return out.build()
        used = bytearray(len(s))

        def taken(a: int, b: int) -> bool:
            return any(used[a:b])

        ph = g.placeholder.search(s)
        if ph:
            out.placeholder = f.slice(ph.start(), ph.end())
            used[ph.start():ph.end()] = b"\x01" * (ph.end() - ph.start())

        raw_dates = self._dates(s, used)
        quantities = self._quantities(s, used, taken)
        out.numbers = [v for q in quantities
                       for v in ((q.value,) if q.low is None or q.low == -(q.value or 0)
                                 else (q.low, q.high)) if v is not None]
        # the target: the number with a comparator, else with a unit, else the first
        primary = next((q for q in quantities if q.comparators), None) or \
            next((q for q in quantities if q.unit is not None), quantities[0] if quantities else None)
        if primary:
            self._fill_quantity(out, f, primary)
        else:
            self._fill_loose_comparator(out, f, s)
        self._fill_dates(out, f, s, raw_dates, primary)
        c = g.cadence.search(s)
        if c:
            out.cadence = c.group()

        if out.placeholder:
            out.kind = "placeholder"
        elif primary is not None and not (primary.value is None and out.dates):
            if primary.low is not None:
                out.kind = "range"
            elif out.dimension == "time":
                out.kind = "duration"
            else:
                out.kind = "quantity"
        elif out.dates:
            out.kind = "period" if out.period_start else "date"
        else:
            self._qualitative(out, f, s)
        return out.build()

    def _dates(self, s: str, used: bytearray) -> list[D.RawDate]:
        g = self.g
        raws = []
        for r in D.find_dates(s, unit_at=lambda p: g.unit_token.match(s, p) is not None):
            if any(used[r.start:r.end]):
                continue
            if r.month_only:  # ≤3月 or 3月内: a number of months
                before = self.sym_before.search(s, max(0, r.start - 12), r.start) or \
                    self.prefix_before.search(s, max(0, r.start - 6), r.start)
                after = g.suffix_word.match(s, r.end)
                if before or after:
                    continue
            raws.append(r)
            end = r.pair.end if r.pair else r.end
            used[r.start:end] = b"\x01" * (end - r.start)
        return raws

    def _quantities(self, s: str, used: bytearray, taken) -> list[Quantity]:
        found: list[tuple[int, int, float | None, str | None, bool]] = []
        for m in NUMBER.finditer(s):
            if taken(m.start(), m.end()):
                continue
            value, problem = _arabic(m.group())
            a, b = m.start(), m.end()
            if (b < len(s) and s[b] in SEVEN_DIGITS) or (a > 0 and s[a - 1] in SEVEN_DIGITS):
                problem = problem or "digits-run-into-text"
            found.append((a, b, value, problem, False))
        for m in CN_PERCENT.finditer(s) if "百分之" in s else ():
            if not taken(m.start(), m.end()):
                found.append((m.start("n"), m.end("n"), _chinese(m.group("n")), None, True))
        for m in CN_TENTHS.finditer(s) if "成" in s else ():
            if not taken(m.start(), m.end()):
                n = m.group("n")
                tenths = _arabic(n)[0] if n[0].isdigit() else _chinese(n)
                found = [x for x in found if x[0] != m.start("n")]  # 8成: the tenths reading wins
                found.append((m.start("n"), m.end("n"), None if tenths is None else tenths * 10, None, "tenths"))
        if _CN_DIGIT.search(s):  # 三个, 叁拾万元: a Chinese numeral needs one of these
            arabic = bytearray(len(s))  # where the numbers found so far are
            for a, b, *_ in found:
                arabic[a:b] = b"\x01" * (b - a)
            for m in CN_NUMBER.finditer(s):
                if taken(m.start(), m.end()) or any(arabic[m.start():m.end()]):
                    continue
                if m.start() > 0 and s[m.start() - 1].isdigit():
                    continue
                u = read_unit(self.g, s, m.end())
                if (u is None or u.canonical is None or not at_boundary(self.g, s, u.end)) and \
                        not _NUMERAL_ALONE.fullmatch(s):
                    continue  # (a bare numeral is a number only as the whole value: 为零, 零)
                value = _chinese(m.group())
                if value is not None:
                    found.append((m.start(), m.end(), value, None, False))
        found.sort()
        out: list[Quantity] = []
        for a, b, value, problem, cn_percent in found:
            if taken(a, b):
                continue
            if cn_percent == "tenths":
                q = Quantity(a, b, value)
                unit_end = s.index("成", b) + 1
                q.unit = Unit(b, unit_end, "%", "percent", base="%")
                q.chinese = True
                q.comparators, _ = self._comparators_before(s, a)
                q.end = unit_end
                after = self.g.suffix_word.match(s, unit_end)
                if after and not q.comparators:
                    q.comparators.append(Cmp(after.start(), after.end(), self.g.suffixes[after.group()], "suffix",
                                             after.group()))
                    q.end = after.end()
            elif cn_percent:
                q = Quantity(a, b, value)
                q.unit = Unit(a - 3, a, "%", "percent", base="%")
                q.chinese = True
                q.comparators, _ = self._comparators_before(s, a - 3)
                after = self.g.suffix_word.match(s, b)  # 百分之九十五以上
                if after and not q.comparators:
                    q.comparators.append(Cmp(after.start(), after.end(), self.g.suffixes[after.group()], "suffix",
                                             after.group()))
                    q.end = after.end()
            else:
                q = self._quantity(s, a, b, value, problem, taken)
            if s[a:b] and a > 0 and s[a - 1] == "二" and (a == 1 or s[a - 2] in "≥≤<>="):
                q.problem = q.problem or "digits-run-into-text"
                q.ocr = "="
            used[a:q.end] = b"\x01" * (q.end - a)
            out.append(q)
        return out

    # ------------------------------------------------------------ filling the model
    def _fill_quantity(self, out: _Out, f: Folded, q: Quantity) -> None:
        def span(a, b):
            return _span(*f.span(a, b))

        out.number = q.value if q.low is None or q.high == q.value and q.low == -(q.value or 0) else None
        if q.low is None or out.number is not None:
            num_end = q.start + _num_len(f.text, q.start)
            out.number_text = f.slice(q.start, num_end)
            out.number_span = span(q.start, num_end)
        out.number_problem = q.problem
        out.approximate = q.approx
        out.low, out.high = q.low, q.high
        u = q.unit
        if u is not None:
            out.unit = f.slice(u.start, u.end)
            out.unit_span = span(u.start, u.end)
            out.unit_canonical = u.canonical
            out.dimension = u.dimension
            out.unit_problem = u.problem
            out.unit_suggestion = u.suggestion
            if out.number is not None and u.base is not None:
                out.base_number = out.number * u.scale
                out.base_unit = u.base
        if q.leading_unit is not None:
            lead = q.leading_unit
            if u is None:
                out.unit, out.unit_span = f.slice(lead.start, lead.end), span(lead.start, lead.end)
                out.unit_canonical, out.dimension = lead.canonical, lead.dimension
            elif lead.canonical == u.canonical or lead.dimension == u.dimension:
                out.unit_problem, out.unit_suggestion = "doubled", u.canonical
            else:
                out.unit_problem = "incoherent"
        self._fill_comparators(out, f, q.comparators)
        unit_text = out.unit_canonical or ""
        if q.ocr:
            out.ocr_suspect = q.ocr + (out.number_text or "") + unit_text
        elif (not q.comparators and out.dimension == "percent" and out.number_text
              and _OCR_PERCENT.fullmatch(out.number_text)):
            out.ocr_suspect = "≥" + out.number_text[1:] + (out.unit or "%")
        if (u is None and q.value is not None and q.low is None and not q.chinese
                and _SERIAL_DIGITS.fullmatch(f.text[q.start:q.start + _num_len(f.text, q.start)])
                and D.EXCEL_MIN <= q.value <= D.EXCEL_MAX):
            y, m, d = D.excel_date(int(q.value))
            out.dates.append(DateValue(
                text=out.number_text, span=out.number_span, year=y, month=m, day=d, valid=False,
                problem="excel-serial", excel_serial=True))

    def _fill_comparators(self, out: _Out, f: Folded, cmps: list[Cmp]) -> None:
        if not cmps:
            return
        g = self.g
        strong = [c for c in cmps if not (c.kind == "prefix" and c.word in g.neutral_prefixes
                                          and any(x.kind == "suffix" for x in cmps))]
        if not strong:
            strong = cmps
        chosen = strong[-1] if strong[-1].kind != "suffix" or len(strong) == 1 else strong[0]
        canon = {c.canonical for c in strong}
        if len(strong) > 1:
            out.comparator_problem = "doubled" if len(canon) == 1 else "contradictory"
        before = [c for c in strong if c.kind != "suffix"]
        if len(before) > 1:  # ≥≥, =≥, ≥不低于: the printed run
            a, b = before[0].text_start, before[-1].text_end
            chosen = before[-1]
        else:
            a, b = chosen.text_start, chosen.text_end
        out.comparator = chosen.canonical  # type: ignore[assignment]
        out.comparator_text = f.slice(a, b)
        s, e = f.span(a, b)
        out.comparator_span = _span(s, e)

    def _fill_loose_comparator(self, out: _Out, f: Folded, s: str) -> None:
        """No number: a comparator symbol anywhere (≥**株), or a comparator word at the start."""
        g = self.g
        m = g.symbol_run.search(s)
        cmps = []
        if m:
            cmps = [Cmp(t.start(), t.end(), g.symbols[t.group()], "symbol", t.group())
                    for t in g.symbol_token.finditer(s, m.start(), m.end())]
        else:
            m = g.prefix_word.match(s)
            if m and m.group() not in g.neutral_prefixes:
                cmps = [Cmp(m.start(), m.end(), g.prefixes[m.group()], "prefix", m.group())]
        self._fill_comparators(out, f, cmps)

    def _date_value(self, f: Folded, r: D.RawDate) -> DateValue:
        s, e = f.span(r.start, r.end)
        return DateValue(text=f.original[s:e], span=_span(s, e), year=r.year,
                                         month=r.month, day=r.day, valid=r.problem is None,
                                         problem=r.problem)

    def _fill_dates(self, out: _Out, f: Folded, s: str, raws, primary) -> None:
        g = self.g
        values: list[DateValue] = []
        last_end = None
        for i, r in enumerate(raws):
            values.append(self._date_value(f, r))
            last_end = r.end
            if r.pair:
                values.append(self._date_value(f, r.pair))
                out.period_start, out.period_end = values[-2], values[-1]
                last_end = r.pair.end
        # periods: two dates joined by - ~ 至 到
        for a, b in zip(raws, raws[1:]):
            if out.period_start is None and D.RANGE_SEP.fullmatch(s, a.end, b.start):
                ia, ib = raws.index(a), raws.index(b)
                if b.year is None and a.year is not None:
                    b.year = a.year
                    b.problem = D.check(b.year, b.month, b.day)
                    values[ib] = self._date_value(f, b)
                out.period_start, out.period_end = values[ia], values[ib]
        if not raws and primary is None:
            for m in g.deadline_word.finditer(s):
                md = g.deadline_words[m.group()]
                month, day = (int(x) for x in md.split("-"))
                st, en = f.span(m.start(), m.end())
                values.append(DateValue(
                    text=f.original[st:en], span=_span(st, en), month=month, day=day))
                last_end = m.end()
                break
        if last_end is not None and g.deadline_marker.match(s, last_end):
            out.deadline = True
        if any(r.within for r in raws) or (values and not raws and values[0].text.endswith("内")):
            out.deadline = True  # 年内, 2023年内: by the end of the year
        if raws and _CUTOFF.search(s[: raws[0].start]):
            out.deadline = True
        out.dates = values + out.dates

    def _qualitative(self, out: _Out, f: Folded, s: str) -> None:
        g = self.g
        core = s.strip(TRAILING)
        if core[:1] == "=":
            core = core[1:]
        if core.endswith(("%", "‰")):  # 应保尽保%: a unit on a word
            end = len(s.rstrip(TRAILING))
            st, en = f.span(end - 1, end)
            out.unit, out.unit_span = f.original[st:en], _span(st, en)
            out.unit_canonical, out.dimension = core[-1], "percent"
            core = core[:-1]
        if core in g.binary:
            out.kind, out.binary = "binary", g.binary[core]
            return
        if core in g.grades:
            out.kind, out.grade = "grade", core
            return
        if out.cadence:
            out.kind = "cadence"
            return
        if core in g.vague_whole:
            out.kind, out.vague_phrase = "vague", core
            return
        m = g.vague_phrase.search(core) or g.vague_verb.search(core)
        if m:
            out.kind, out.vague_phrase = "vague", m.group()
            return
        if len(core) >= 3 and g.judgement_ending.search(core):
            out.kind, out.vague_phrase = "vague", core
            return
        out.kind = "text"


CN_PERCENT_DIGITS = patterns.compile(r"[零〇一二两三四五六七八九十百点]+")


def _num_len(s: str, start: int) -> int:
    m = NUMBER.match(s, start) or CN_NUMBER.match(s, start) or CN_PERCENT_DIGITS.match(s, start)
    return len(m.group()) if m else 0
