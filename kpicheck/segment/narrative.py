"""Projects that headings and prose declare, and the facts sentences state about them.

Department budget documents (部门预算/单位预算) often give their targets in prose: a section for
the unit's own 整体 targets, then one per key project introduced by a numbered heading
(1、“用于解决社保卡制卡经费项目”主要内容是…). Their funds are in sentences, not tables
(2023年预算安排96.70万元; 收入总计96.7万元), and so is the 项目绩效总目标 paragraph.
"""
from __future__ import annotations

from typing import Optional

from kpicheck import patterns
from kpicheck.models import Position, Project
from kpicheck.segment.labels import simplify
from kpicheck.segment.layout import Line
from kpicheck.segment.projects import to_wan

# The unit's name, from the document title or a 单位名称 field.
_UNIT_FIELD = patterns.compile(r"(?:部门\s*[(（]\s*单位\s*[)）]\s*名称|单位名称|预算单位)\s*[:：]?\s*"
                               r"([^\s|:：,，。]{4,40}?)(?=区级|市级|县级|本级|支出预算|预算总量|[\s|,，。]|$)")
_UNIT_TITLE = patterns.compile(r"^[#\s]*(?:第[一二三四五]部分\s*)?([^\s|:：,，。0-9]{4,40}?)"
                               r"(?:\s*(?:19|20)\d\d\s*年度?\s*(?:部门|单位)(?:\s*预算|$)|概况$)")
# A heading for the unit's own targets, or the title of its 整体 target table.
_WHOLE_UNIT = patterns.compile(r"(?:部门|单位)\s*[(（]?\s*(?:单位)?\s*[)）]?\s*整体(?:支出)?绩效目标|整体支出绩效目标")
# A numbered project heading: 1、“X”主要内容是 / 2.“X”项目概况
_QUOTED_HEAD = patterns.compile(r"^\s*\d{1,2}\s*[、.．]\s*[“\"「『]([^”\"」』]{3,40})[”\"」』]\s*"
                                r"(?:的?主要内容|项目(?:概况|内容|简介|基本情况)|基本情况|概况)")
# A notice's title: 关于X项目绩效目标设定的公示
_TITLE_PROJECT = patterns.compile(r"关于\s*(?:下达|印发|报送|公示|公布|批复)?\s*(\S{4,50}?(?:项目|工程|专项资金))\s*(?:的)?\s*(?:绩效目标|绩效指标|项目绩效)")
_QUOTE_NEAR_START = patterns.compile(r"^\s*\d{1,2}\s*[、.．]\s*[“\"「『]")
_AMOUNT = r"(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)"
# The unit's whole budget: 收入总计 96.7万元 / 支出总计1236.74 / 区级支出预算总量3724.39
_UNIT_TOTAL = patterns.compile(r"(?:收\s*入|支\s*出)\s*总\s*计\s*[:：]?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)?"
                               r"|支出预算总量\s*[:：]?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)?")
# A sentence stating a project's funds: 2023年预算安排96.70万元, 项目预算经费申报为1000,000.00元.
_FUNDS_SENTENCE = patterns.compile(
    r"(?:预算安排|安排资金|安排预算|项目预算(?:经费|资金)?(?:申报)?|预算(?:经费|资金)(?:申报)?|申报预算|项目资金)"
    r"\s*(?:为|共计|合计|总额为?|总计)?\s*[:：]?\s*" + _AMOUNT)
_GOAL = patterns.compile(r"(?:项目)?(?:绩效)?总目标\s*(?:是|为)?\s*[:：]")
_SECTION = patterns.compile(r"^\s*(?:\d{1,2}\s*[、．]|[一二三四五六七八九十]+\s*、|[(（][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+部分)")


def _prose(lines: list[Line]) -> list[tuple[int, str]]:
    """(line number, text) of the one-cell lines, in order: the document's sentences."""
    return [(ln.line or 0, simplify(ln.cells[0].text.strip())) for ln in lines
            if ln.kind in ("text", "cell") and ln.cells and ln.cells[0].text.strip()]


def _wan(number: str, unit: Optional[str]) -> Optional[float]:
    return to_wan(number, unit, context_yuan=False)


# What a unit's name ends with (中心, 局, 办事处, 街道…): a column heading such as 合计 is none.
_ORGANISATION = patterns.compile(r"(?:中心|局|委员会|办事处|办公室|政府|院|所|站|队|学校|中学|小学|幼儿园|医院|馆|处|厅|"
                                 r"公司|镇|街道|乡|团|场|会|社|部|室|委|台|园)$")
_UNIT_KEY_CELL = patterns.compile(r"^\*?(?:部门\s*[(（]\s*单位\s*[)）]\s*名称|单位名称|部门名称)$")


def unit_name(lines: list[Line]) -> Optional[str]:
    for ln in lines[:400]:
        raw = ln.raw or "".join(t.text for t in ln.cells)  # spreadsheet rows have no raw text
        if "名" not in raw and "单位" not in raw and "單位" not in raw:
            continue  # cheap test first: this runs over the first 400 lines of every document
        cells = ln.nonblank
        for k, tok in enumerate(cells):
            text = simplify(tok.text).strip()
            if _UNIT_KEY_CELL.match(text.replace(" ", "")) and k + 1 < len(cells):
                name = cells[k + 1].text.strip()  # as printed
                if _ORGANISATION.search(simplify(name)):
                    return name
            m = _UNIT_FIELD.search(text)
            if m and _ORGANISATION.search(m.group(1)):
                return m.group(1)
    for ln in lines[:60]:
        for tok in ln.cells:
            m = _UNIT_TITLE.search(simplify(tok.text.strip()))
            if m and _ORGANISATION.search(m.group(1)):
                return m.group(1)
    return None


def unit_total(lines: list[Line]) -> Optional[float]:
    """The unit's whole budget (万元), from the first 收入总计 / 支出总计 with an amount."""
    for ln in lines:
        if not ln.cells or (ln.raw and "总" not in ln.raw and "總" not in ln.raw):
            continue  # both totals hold 总 (總 before simplifying); a line's raw text holds its cells
        text = simplify(" ".join(t.text for t in ln.cells))
        for m in _UNIT_TOTAL.finditer(text):
            number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            wan = _wan(number, unit)
            if wan:
                return wan
    return None


def _heading_candidates(lines: list[Line]) -> list[tuple[int, str]]:
    """(line, simplified text) of the one-cell lines, then of the rows of one or two cells, that
    may be a heading: a raw text without 整 (整体 in either script), a parenthesis (a gloss
    removed may bring a number to the start) or a number-and-quote start is none."""
    # (the test inline, not a function: it runs on every line)
    prose = [(ln.line or 0, simplify(t.strip())) for ln in lines
             if ln.kind in ("text", "cell") and ln.cells and (t := ln.cells[0].text).strip()
             and ("整" in t or "(" in t or _QUOTE_NEAR_START.match(t) is not None)]
    rows = [(ln.line or 0, simplify(t)) for ln in lines
            if ln.kind == "row" and ("整" in (t := ln.cells[0].text) or "(" in t or _QUOTE_NEAR_START.match(t) is not None)
            and ln.nonblank and len(ln.nonblank) <= 2]
    return prose + rows


def headings(lines: list[Line], unit: Optional[str]) -> list[tuple[int, Project]]:
    """Projects declared by headings: the unit's 整体 targets (named `unit`) and “quoted”
    project headings."""
    out: list[tuple[int, Project]] = []
    for ln in lines[:5]:
        m = _TITLE_PROJECT.search(simplify(" ".join(t.text for t in ln.cells)))
        if m:
            out.append((ln.line or 0, Project(name=m.group(1), pos=Position(line=ln.line, column=1))))
            break
    for line, text in _heading_candidates(lines):
        if "整体" not in text and not _QUOTE_NEAR_START.match(text):
            continue  # most lines are neither kind of heading
        m = _QUOTED_HEAD.match(text)
        if m:
            out.append((line, Project(name=m.group(1).strip(), pos=Position(line=line, column=1))))
            continue
        if unit and len(text) <= 40 and _WHOLE_UNIT.search(text):
                out.append((line, Project(name=unit, pos=Position(line=line, column=1))))
    out.sort(key=lambda pair: pair[0])
    return out


def _owner(projects: list[tuple[int, Project]], line: int) -> Optional[Project]:
    owner = None
    for start, project in projects:
        if start <= line:
            owner = project
    return owner


def state_facts(projects: list[tuple[int, Project]], lines: list[Line], unit: Optional[str],
                declared: list[tuple[int, Project]]) -> None:
    """Budgets and 总目标 text that sentences state, for the project whose section they sit in;
    the unit's 整体 project gets the unit's total budget. `declared`: the projects that
    `headings` found (sentences state funds only for those)."""
    if not projects:
        return
    prose_projects = {id(p) for _, p in declared}
    from kpicheck.segment.projects import read_goals

    for line, goal in read_goals(lines):  # the 年度总体目标 cell of a form
        owner = _owner(projects, line)
        if owner is not None and owner.goal_text is None:
            owner.goal_text = goal
    unfunded = [p for _, p in projects if unit and p.name == unit and p.budget_wan is None]
    total = unit_total(lines) if unfunded else None  # one scan, however often the unit is named
    if total:
        for project in unfunded:
            project.budget_wan, project.budget_source = total, "收支总计"
    prose = _prose(lines)
    for k, (line, text) in enumerate(prose):
        if "预算" not in text and "资金" not in text and "目标" not in text and "预" not in text[-1:]:
            continue  # no funds sentence or 总目标 starts here (预 may wrap: 项目预/算…)
        owner = _owner(projects, line)
        if owner is None:
            continue
        joined = text + (prose[k + 1][1] if k + 1 < len(prose) else "")  # amounts wrap across lines
        # Funds sentences only inside a prose project's own section: beside a table form, a
        # sentence may as well describe the next project.
        for m in (_FUNDS_SENTENCE.finditer(joined) if id(owner) in prose_projects else ()):
            if m.start() >= len(text):
                break
            wan = _wan(m.group(1), m.group(2))
            if not wan:
                continue
            if owner.budget_wan is None:
                owner.budget_wan, owner.budget_source = wan, m.group(0)[:12]
            elif abs(wan - owner.budget_wan) > 0.005 * owner.budget_wan and wan not in owner.other_budgets_wan:
                owner.other_budgets_wan.append(wan)
        goal = _GOAL.search(text) if "总目标" in text else None  # no literal first: tried at every position
        if goal and owner.goal_text is None:
            parts = [text[goal.end():]]
            for _, more in prose[k + 1:k + 12]:
                if _SECTION.match(more):
                    break
                parts.append(more)
            owner.goal_text = "".join(parts)[:600]
