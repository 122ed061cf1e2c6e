"""Projects, their budgets (万元) and the budget year, from 申报表 headers, tables and narrative."""
from __future__ import annotations

from collections import Counter
from typing import Optional

import regex

from kpicheck import patterns
from kpicheck.models import Position, Project
from kpicheck.segment.labels import simplify
from kpicheck.segment.layout import Line

# No leading `\s*`: on `re` it rescans a long run of spaces from every start (quadratic).
_YEAR = patterns.compile(r"((?:19|20)\d\d)\s*年度")
_YEAR_ANY = patterns.compile(r"((?:19|20)\d\d)\s*年")
# 部门 | X on a 部门整体支出 form: the unit's own budget is the project.
_NAME_KEY = patterns.compile(r"^(?:项目名称|项目支出名称|专项名称|二级项目名称|项\s*目\s*名\s*称|部门名称|部\s*门)[:：]?$")
# '一级项目名称X二级项目名称Y': Y is the project (X is the programme it belongs to).
_NAME_INLINE = regex.compile(r"(?<!一\W?级)(?:项目名称|项目支出名称|专项名称|二级项目名称)\s*[:：]?\s*(\S.{1,60}?)(?=\s|$|项目|主管部门|预算单位|单位|类型)")
_BUDGET_KEY = patterns.compile(
    r"年度资金总额|年度资金申请总额|本年度预计投入|年度本级\s*预算金额|当年年度预算|项目资金总额|资金总额|项目总投资|"
    r"预算申报数|项目总预算|预算数|区级支出预算总量|全年预算数"
)
_NUM = patterns.compile(r"([\d][\d,，]*(?:\.\d+)?)\s*(万元|万|元)?")
# What may sit between a funds key and its amount: '年度资金总额(万元)：' / '资金总额为'.
_KEY_GAP = patterns.compile(r"^\s*(?:[(（]\s*万?元\s*[)）])?\s*(?:及构成)?\s*(?:为|共计|合计|总额|总计)?\s*[:：]?\s*")
# A total over several years (申报期/中期/实施期资金总额, 项目总投资): an annual figure wins over it.
# An amount opening a cell: '854万(其中…)', '3,320,000' - not a list number ('1、一般公共预算 6.30').
_LEADING_AMOUNT = patterns.compile(r"([\d][\d,，]*(?:\.\d+)?)\s*(万元|万|元)?(?![\d、.．)）])")
_OCR_GAP = patterns.compile(r"(?<=\d[.,，])\s+(?=\d)")  # '398. 36' as OCR prints 398.36
# A budget key this many lines below the project's name belongs to something else.
_BUDGET_REACH = 40
_PERIOD_TOTAL = patterns.compile(r"(?:申报期|中期|实施期|项目期|总投资|总预算)")
# Column headings that follow 项目名称 in a header row: never a project's name.
_HEADING = patterns.compile(r"^(?:主管部门|实施单位|项目单位|单位名称|单位编码|项目属性|项目负责人|联系电话|资金性质|年度|"
                            r"项目(?:实施|起止)时间|项目类别|项目类型|预算数|金额)$")
_CODE_PREFIX = patterns.compile(r"^\d{6,}[-－]?")
# Searched only in a text holding 单位 or 资金 (_YUAN_CONTEXT), 单位 or 万元) (_WAN_CONTEXT): `in` first.
_YUAN_CONTEXT = patterns.compile(r"金额单位\s*[:：]\s*元|项目资金\s*[(（]元[)）]|单位\s*[:：]\s*元(?!\S)")
_WAN_CONTEXT = patterns.compile(r"单位\s*[:：]\s*万元|[(（]万元[)）]")


def _worth_reading(text: str) -> bool:
    """Whether a cell may name a project, state funds or set the money unit: it holds one of
    元名稱资資投预預, or is the 部门 key of a 部门整体 form (substring tests: a regex character class
    costs ~40 instructions a character)."""
    return ("元" in text or "名" in text or "稱" in text or "资" in text or "資" in text or "投" in text
            or "预" in text or "預" in text or text.strip() in _UNIT_KEYS)


def _line_worth_reading(raw: str) -> bool:
    """The same test for a whole line, where the 部门 key stands among other cells."""
    return _worth_reading(raw) or "部门" in raw


_UNIT_KEYS = frozenset({"部门", "部 门", "部门:", "部门：", "部门名称"})


def _may_state_wan(text: str) -> bool:
    return "单位" in text or "万元)" in text or "万元）" in text  # what _WAN_CONTEXT needs


def _money_context(line: Line, yuan: bool) -> bool:
    """Whether amounts without a unit are in 元 after `line` ('金额单位：元' / '单位：万元')."""
    if line.raw and "元" not in line.raw:
        return yuan  # a text line's raw text holds all its cells: one test instead of one per cell
    for tok in line.cells:
        if "元" in tok.text:
            text = simplify(tok.text)
            if ("单位" in text or "资金" in text) and _YUAN_CONTEXT.search(text):
                yuan = True
            elif _may_state_wan(text) and _WAN_CONTEXT.search(text):
                yuan = False
    return yuan


def budget_year(lines: list[Line]) -> Optional[int]:
    years: Counter = Counter()
    for ln in lines[:400]:
        for tok in ln.cells:
            if "年度" not in tok.text:
                continue
            for m in _YEAR.finditer(tok.text):
                years[int(m.group(1))] += 1
    if years:
        return years.most_common(1)[0][0]
    for ln in lines[:40]:
        for tok in ln.cells:
            m = _YEAR_ANY.search(tok.text)
            if m:
                return int(m.group(1))
    return None


def to_wan(number: str, unit: Optional[str], context_yuan: bool) -> Optional[float]:
    try:
        value = float(number.replace(",", "").replace("，", ""))
    except ValueError:
        return None
    if unit == "元" or (unit is None and context_yuan):
        return round(value / 10000, 6)
    return value


def _budget_open(project: Project, key: str) -> bool:
    """Whether `key` may set the project's budget: when none is known yet, or when the known
    one is a several-year total and `key` names the annual figure."""
    if project.budget_wan is None:
        return True
    return bool(_PERIOD_TOTAL.search(project.budget_source or "")) and not _PERIOD_TOTAL.search(key)


def _amount_after(rest: str, following: list, context_yuan: bool) -> Optional[float]:
    """The amount right after a funds key, in the same cell or in one of the next two cells
    when those hold nothing but the amount (never a number further on in a sentence)."""
    rest = _KEY_GAP.sub("", _OCR_GAP.sub("", rest))
    num = _LEADING_AMOUNT.match(rest)
    if num is None and not rest.strip():
        for tok in following:
            num = _LEADING_AMOUNT.match(_OCR_GAP.sub("", tok.text.strip()))
            if num:
                break
    if num is None:
        return None
    return to_wan(num.group(1), num.group(2), context_yuan)


def _read_funds(project: Project, text: str, following: list, context_yuan: bool) -> Optional[str]:
    """Set the project's budget from the funds keys in `text` (an annual figure over a
    several-year total, whichever comes first). Returns a key left without its amount."""
    waiting = None
    for m in _BUDGET_KEY.finditer(text):
        source = text[max(0, m.start() - 4):m.end()].strip(" :：|")
        if not _budget_open(project, source):
            continue
        wan = _amount_after(text[m.end():], following, context_yuan)
        if wan is not None and wan > 0:
            project.budget_wan, project.budget_source = wan, source
            waiting = None
        elif project.budget_wan is None:
            waiting = source
    return waiting


def _amount_row(line: Line, context_yuan: bool) -> Optional[float]:
    """The first amount of a row made of amounts only ('7 | 0 | 7 | 0'): the values under a
    header row whose funds key printed no amount of its own (本年度预计投入(万元) | 财政资金…)."""
    cells = [_OCR_GAP.sub("", t.text.strip()) for t in line.nonblank]
    if len(cells) < 2 or not all(_NUM.fullmatch(c) for c in cells):
        return None
    num = _NUM.fullmatch(cells[0])
    return to_wan(num.group(1), num.group(2), context_yuan)


def _cells_after(lines: list[Line], n: int, k: int, count: int) -> list:
    """The next `count` non-blank cells after cell k of line n (a key's value may follow it
    in the next cell or on a later line)."""
    out: list = []
    cells = lines[n].cells
    start = k + 1
    while True:
        for i in range(start, len(cells)):  # stops at `count`: a long line is not copied per key
            if cells[i].text.strip():
                out.append(cells[i])
                if len(out) >= count:
                    return out
        n += 1
        if n >= len(lines):
            return out
        cells, start = lines[n].cells, 0


def find_projects(lines: list[Line], unit: Optional[str] = None) -> list[tuple[int, Project]]:
    """(line number, project) in document order; with no project form, the unit itself."""
    found: list[tuple[int, Project]] = []
    context_yuan = False
    waiting: Optional[tuple[str, int]] = None  # (funds key, line) whose amount is in a row below
    for n, ln in enumerate(lines):
        if not ln.cells:
            continue
        if waiting and ln.nonblank:
            if (ln.line or 0) - waiting[1] > 3:
                waiting = None
            elif found and ln.kind == "row" and (ln.line or 0) > waiting[1]:
                wan = _amount_row(ln, context_yuan)
                if wan and found[-1][1].budget_wan is None:
                    found[-1][1].budget_wan, found[-1][1].budget_source = wan, waiting[0]
                    waiting = None
        if ln.raw and not _line_worth_reading(ln.raw):
            continue  # a text line's raw text holds all its cells: one test for the line
        for k, tok in enumerate(ln.cells):
            if not _worth_reading(tok.text):
                continue  # blank cells too
            text = simplify(tok.text).strip()
            if "元" in text:
                if ("单位" in text or "资金" in text) and _YUAN_CONTEXT.search(text):
                    context_yuan = True
                if _may_state_wan(text) and _WAN_CONTEXT.search(text):
                    context_yuan = False
            name, rest = None, text
            value = _cells_after(lines, n, k, 1) if _NAME_KEY.match(text.replace(" ", "")) else None
            if value:
                name, rest = value[0].text.strip(), ""
            elif ln.kind == "text" and "名称" in text:  # every key of _NAME_INLINE ends in 名称
                m = _NAME_INLINE.search(text)
                if m:
                    name, rest = m.group(1), text[m.end():]  # a run-together form goes on with its funds
            if name:
                name = _CODE_PREFIX.sub("", name).strip()
                if name and len(name) >= 3 and not _NAME_KEY.match(name) and not _HEADING.match(name.replace(" ", "")):
                    column = (tok.column or 1) + (len(text) - len(rest) - len(name) if rest else 0)
                    found.append((tok.line or 0, Project(name=name, pos=Position(line=tok.line, column=column))))
                    text = rest
            if found and (tok.line or 0) - found[-1][0] <= _BUDGET_REACH:
                key = _read_funds(found[-1][1], text, _cells_after(lines, n, k, 2), context_yuan)
                if key and ln.kind == "row":
                    waiting = (key, tok.line or 0)
    if not found and unit:  # no project form: the targets are the unit's own (部门/单位整体)
        found.append((0, Project(name=unit)))
    return found


def project_at(projects: list[tuple[int, Project]], line: Optional[int], column: Optional[int] = None) -> Optional[str]:
    """The project whose name comes last before (line, column); on one run-together line,
    two forms are told apart by column."""
    if not projects:
        return None
    name = projects[0][1].name
    for ln, p in projects:
        if line is None or ln > line:
            continue
        if ln == line and column is not None and (p.pos.column or 0) > column:
            continue
        name = p.name
    return name


def _row_budgets(lines: list[Line], names: set[str]) -> dict[str, tuple[float, int]]:
    """For each of `names`, the first amount after a cell that is exactly that name in a table
    row (项目支出预算表, or the wide 绩效目标表 whose rows carry code, name and funds): (万元,
    line). One pass over the document, whatever the number of projects."""
    found: dict[str, tuple[float, int]] = {}
    if not names:
        return found
    context_yuan = False
    for ln in lines:
        raw = ln.raw
        if not raw or "元" in raw:  # the test _money_context starts with, without a call per line
            context_yuan = _money_context(ln, context_yuan)
        if ln.kind != "row":
            continue
        if raw:
            for name in names:
                if name in raw:
                    break
            else:
                continue  # a text row's raw line holds all its cells: no name there
        cells = [t.text.strip() for t in ln.cells]
        for k, name in enumerate(cells):
            if name not in names or name in found:
                continue
            for text in cells[k + 1:]:
                num = _NUM.fullmatch(text)
                if num:
                    wan = to_wan(num.group(1), num.group(2), context_yuan)
                    if wan is not None and wan > 0:
                        found[name] = (wan, ln.cells[0].line or 0)
                    break
    return found


def _prefer_row_budget(project: Project, wan: float, line: int) -> None:
    """A budget table row (项目支出预算表) is the approved figure; a different amount the form's
    header states is kept as another statement of the funds (KPI602 compares them)."""
    stated = project.budget_wan
    if stated is not None and abs(stated - wan) > max(0.01, 0.005 * wan) and stated not in project.other_budgets_wan:
        project.other_budgets_wan.append(stated)
    project.budget_wan, project.budget_source = wan, "项目支出预算表"
    if project.pos.line is None:
        project.pos = Position(line=line, column=1)


def reconcile(found: list[Project], used: list[Optional[str]], lines: list[Line]) -> list[Project]:
    """Every project an indicator names is listed, with its funds where a table row gives them;
    a 'project' that owns no indicator (a stray 项目名称 header) is dropped when others do."""
    by_name = {p.name: p for p in found}
    names = list(dict.fromkeys(n for n in used if n))
    budgets = _row_budgets(lines, set(names))
    out: list[Project] = []
    for name in names:
        project = by_name.get(name) or Project(name=name)
        hit = budgets.get(name)
        if hit:
            _prefer_row_budget(project, *hit)
        out.append(project)
    return out or found


_PERIOD_HEAD = patterns.compile(r"^(?:项目)?(?:实施时间|起止时间|实施期限|实施期|建设周期|项目期限)$")


def table_periods(lines: list[Line]) -> dict[str, tuple[str, int]]:
    """Project name → (period as printed, line) from a table whose header has 项目名称 and a
    项目实施时间 / 起止时间 column (which may span the next, empty-headed 起/止 column)."""
    out: dict[str, tuple[str, int]] = {}
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind != "row" or "名" not in (ln.raw or "".join(t.text for t in ln.cells)):  # no 项目名称 column
            i += 1
            continue
        heads = [simplify(t.text).replace(" ", "") for t in ln.cells]
        name_col = next((k for k, h in enumerate(heads) if _NAME_KEY.match(h)), None)
        period_col = next((k for k, h in enumerate(heads) if _PERIOD_HEAD.match(h)), None)
        if name_col is None or period_col is None:
            i += 1
            continue
        span = [period_col] + ([period_col + 1] if period_col + 1 < len(heads) and not heads[period_col + 1] else [])
        j = i + 1
        while j < len(lines) and lines[j].kind == "row":
            cells = [t.text.strip() for t in lines[j].cells]
            if name_col < len(cells) and cells[name_col] and not _NAME_KEY.match(cells[name_col]):
                parts = [cells[k] for k in span if k < len(cells) and cells[k]]
                if parts and any(ch.isdigit() for ch in "".join(parts)):
                    out.setdefault(cells[name_col], ("-".join(parts), lines[j].cells[0].line or 0))
            j += 1
        i = j
    return out


def attach_periods(projects: list[Project], lines: list[Line]) -> list[Project]:
    """Set `period_text` from a project table; projects only that table names are listed too
    (their facts, such as an impossible period, are checked even without indicators)."""
    periods = table_periods(lines)
    by_name = {p.name: p for p in projects}
    out = list(projects)
    for name, (text, line) in periods.items():
        project = by_name.get(name)
        if project is None:
            project = Project(name=name, pos=Position(line=line, column=1))
            out.append(project)
        if project.period_text is None:
            project.period_text = text
    return out


# The 年度总体目标 of a 申报表/自评表: its label opens a line; the goal follows on that line or the next.
_GOAL_LABEL = patterns.compile(r"^\s*(?:(?:年度总体目标|总体目标|年度目标|绩效目标|年初设定目标|预期目标|实际完成情况|完成情况|综述)[\s|:：]*)+")
_GOAL_END = patterns.compile(r"绩\s*效\s*指\s*标|一级指标|二级指标|三级指标|长期目标|实际完成情况")


def read_goals(lines: list[Line]) -> list[tuple[int, str]]:
    """(line, text) of each 年度总体目标 printed in a form: the label's own line after it, and the
    lines below up to the indicator table (three at most)."""
    out = []
    for k, ln in enumerate(lines):
        if not ln.cells or "目标" not in ln.cells[0].text[:12]:
            continue
        text = simplify(" ".join(c.text for c in ln.cells))
        m = _GOAL_LABEL.match(text)
        if not m:
            continue
        parts = [text[m.end():]]
        for ln2 in lines[k + 1:k + 4]:
            # in a row, the 预期目标 cell comes first; the 实际完成情况 beside it is no goal
            more = simplify(ln2.cells[0].text if ln2.cells else "").strip()
            if not more or _GOAL_END.search(more[:12]):
                break
            parts.append(more)
        goal = " ".join(p.strip(" |") for p in parts if p.strip(" |")).strip()
        if len(goal) >= 6:
            out.append((ln.line or 0, goal[:600]))
    return out
