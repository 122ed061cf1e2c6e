"""Dates, periods and deadlines in a folded value text, checked with the standard library."""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass, field

import regex

from kpicheck import patterns

YEAR_MIN, YEAR_MAX = 1990, 2100  # outside: "year-implausible"
EXCEL_MIN, EXCEL_MAX = 36000, 55000  # Excel serials for 1998-07 .. 2050-07
_END = r"(?P<end>底|末|份|初|中旬|上旬|下旬)?"
_SEP = r"\s*(?:-|~|至|到)\s*"

# Alternatives in priority order: the first one that matches at a position wins.
DATE = regex.compile(
    r"(?<![\d.])(?:"
    r"(?P<y>\d{4})年?" + _SEP + r"(?P<y_b>\d{4})年(?!\d|\s*\d{1,2}月)"  # 2023-2025年
    r"|(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"|(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])"
    r"|(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月" + _END +
    r"|(?P<y>\d{4})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)(?P<compact8>)"
    r"|(?P<y>\d{4})(?P<m>\d{2})(?=" + _SEP + r"\d{6}(?!\d))(?P<compact>)"
    r"|(?<=(?:-|~|至|到)\s*)(?P<y>\d{4})(?P<m>\d{2})(?!\d)(?P<compact>)"
    r"|(?P<y>\d{4})(?P<dot>[./])(?P<m>\d{1,2})(?![\d.])"
    r"|(?P<y>\d{4})(?P<m>-\d{1,2})(?=" + _SEP[:-3] + r"\d{4}[-./]\d{1,2}(?!\d))"
    r"|(?:(?P<y>\d{4})\s*年(?:度)?)?第?(?P<q>[1-4一二三四])季度"
    r"|(?P<y>\d{4})\s*年(?P<yend>度|底|末|内|初)?"
    r"|(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"|(?P<bare_m>\d{1,2})\s*月" + _END +
    r")"
)
# every form of DATE has four digits in a row (a year), 月 or 季度
_MAY_HOLD_DATE = patterns.compile(r"\d{4}|月|季度")
RANGE_SEP = patterns.compile(r"\s*(?:-|~|至|到)\s*")


@dataclass
class RawDate:
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    problem: str | None = None
    excel_serial: bool = False
    month_only: bool = False  # 12月: may be a month count when a comparator or 内 goes with it
    pair: "RawDate | None" = None  # second date of a 2023-2025年 year range
    within: bool = False  # 2023年内: a deadline at the end of the year
    extra: dict = field(default_factory=dict)


def check(year: int | None, month: int | None, day: int | None) -> str | None:
    """Problem with a calendar date, or None; parts left None are not checked."""
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        return "year-implausible"
    if month is not None and not 1 <= month <= 12:
        return "month-out-of-range"
    if day is not None:
        if day == 0:
            return "day-zero"
        if month is not None:
            days = calendar.monthrange(year if year is not None else 2000, month)[1]
            if day > days:
                if month == 2 and day == 29:
                    return "feb-29-non-leap-year"
                return "day>days-in-month"
        elif day > 31:
            return "day>days-in-month"
    return None


def _month_end(year: int | None, month: int) -> int | None:
    if not 1 <= month <= 12:
        return None
    return calendar.monthrange(year if year is not None else 2001, month)[1]


def find_dates(s: str, unit_at=None) -> list[RawDate]:
    """Dates in folded text `s`; `unit_at(pos)` says a unit starts at pos (4623.8元 is no date)."""
    if not _MAY_HOLD_DATE.search(s):
        return []  # ≥95%, 100人: no date
    found: list[RawDate] = []
    for m in DATE.finditer(s):
        g = m.groupdict()
        if g["y_b"]:
            a = RawDate(m.start("y"), m.end("y"), year=int(g["y"]))
            b = RawDate(m.start("y_b"), m.end(), year=int(g["y_b"]))
            a.problem, b.problem = check(a.year, None, None), check(b.year, None, None)
            a.pair = b
            found.append(a)
            continue
        year = int(g["y"]) if g["y"] else None
        month = None
        if g["m"]:
            month = abs(int(g["m"]))
        elif g["bare_m"]:
            month = int(g["bare_m"])
        day = int(g["d"]) if g["d"] else None
        if g["dot"] is not None and (not 1 <= (month or 0) <= 12
                                     or (unit_at is not None and unit_at(m.end()))):
            continue  # 1000.00, 4623.8元: a decimal, not a year and month
        if g["compact8"] is not None and not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if g["bare_m"] and not 1 <= month <= 12:
            continue  # 13月 alone is not read as a date
        if g["q"]:
            month = 3 * ("1234".find(g["q"]) + 1 or "一二三四".find(g["q"]) + 1)
            day = _month_end(year, month)
        raw = RawDate(m.start(), m.end(), year, month, day, month_only=bool(g["bare_m"]))
        end = g["end"]
        if end in ("底", "末") and month is not None:
            raw.day = _month_end(year, month)
        if g["yend"] in ("底", "末", "内"):
            raw.month, raw.day = 12, 31
            raw.within = g["yend"] == "内"
        raw.problem = check(raw.year, raw.month, raw.day)
        found.append(raw)
    return found


def excel_date(serial: int) -> tuple[int, int, int]:
    d = _dt.date(1899, 12, 30) + _dt.timedelta(days=serial)
    return d.year, d.month, d.day
