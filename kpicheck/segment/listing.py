"""Project listings: one row per project, its targets written in a column per category.

County project lists (扶贫 / 衔接资金 项目库, 项目实施情况表, 项目计划公示) print a project per
row and its performance targets in a column per 一级 category, each cell a clause list:

    序号 | 项目名称 | 实施期限(月) | … | 资金来源及规模   | 绩效目标                        | …
                                      资金来源 | 资金规模 | 产出指标 | 效益指标 | 满意度指标
    1    | 庙岗集村…项目 | 10     | … | 市级 | 100 | …农用拖拉机2台(含…),收割机1台 | 受益户数≥200户,受益脱贫户数≥15户 | 脱贫人口满意度≥90% | …

The heading names the project column (项目名称, headers lexicon role project) and the categories,
either as cells of its own row or as a second row under a spanning 绩效目标. A spanning cell
above a second row takes as many data columns as it has sub-headings: the data rows' cell count
tells how many spanning cells there are, so the category columns' place follows from the
headings' order. Each category cell is cut at its clause separators; a clause that states a
figure (≥200户, 2台, 一台, 90%) is an indicator of the row's project: the words before the figure
name it. Clauses without a figure (项目建成后…) are description, not read as targets. A listing
whose cells do not hold figures in most rows is not read this way."""
from __future__ import annotations

import re
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.models import Position
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.assemble import RawIndicator
from kpicheck.segment.labels import parse_label
from kpicheck.segment.layout import Line

_CLAUSE = patterns.compile(r"[,，;；。]")
# A figure inside a clause: a comparator or 不低于 before it, a number or a Chinese numeral, a
# unit; '以上' after it ('农用拖拉机2台', '受益户数≥200户', '自走式高速插秧机一台', '满意度≥90%').
_NUMERAL = "[一二两三四五六七八九十百千]+"
_MAX_SUB_LINES = 6  # lines a second heading row may wrap over


@lexicons.reading_cache
def _figure() -> re.Pattern:
    return patterns.compile(
        rf"(?:(?:{C.comparator_words()})\s*)?(?:\d[\d,]*(?:\.\d+)?|{_NUMERAL})\s*(?:[%％‰]|(?:万|亿)?(?:{C.units()}))"
        rf"(?:{C.bound_words()})?")


def _category(text: str) -> Optional[str]:
    """The 一级 category a heading cell names (产出指标, 效益 指标), or None."""
    t = R.fold(text)
    label = parse_label(t, prefer=1) if t else None
    if label is None:
        label = R.label_of(t)
    if label is None:
        return None
    return label.canonical if label.level == 1 else None


def _sub_headings(lines: list[Line], n: int) -> tuple[list[str], int]:
    """The cells of a second heading row under line n (wrapped over several lines), and the
    index of the first line after it."""
    subs: list[str] = []
    k = n + 1
    while k < len(lines) and k <= n + _MAX_SUB_LINES:
        ln = lines[k]
        texts = [t.text for t in ln.cells if t.text.strip()]
        if ln.kind == "blank" or not texts:
            k += 1
            continue
        if any(R.fold(t)[:1].isdigit() for t in texts[:1]) or any(len(R.fold(t)) > 12 for t in texts):
            break  # a data row
        subs.extend(R.fold(t) for t in texts)
        k += 1
    return subs, k


def _columns(heading: list[str], subs: list[str], width: int) -> Optional[tuple[range, list[tuple[int, Optional[str]]]]]:
    """(the columns the project names may be in, [(column, category)]) in the data rows, or None when
    the headings do not explain a row of `width` cells; one column of category None for a lone
    绩效目标 column. The project column is known unless a spanning cell left of the group may
    stand left of 项目名称 too: its sub-headings push the project right."""
    project = next((i for i, h in enumerate(heading) if R.header_role(h) == "project"), None)
    if project is None:
        return None
    direct = [(i, c) for i, h in enumerate(heading) if (c := _category(h))]
    if len(direct) >= 2 and width >= len(heading) and not [s for s in subs if _category(s)]:
        return range(project, project + 1), direct
    cats = [(j, c) for j, s in enumerate(subs) if (c := _category(s))]
    if not cats and not direct:
        # one 绩效目标 column, no categories: its clauses are the targets, their category unsaid
        group = next((i for i, h in enumerate(heading) if R.header_role(h) == "group"), None)
        if group is not None and project < group and not subs and width >= len(heading):
            return range(project, project + 1), [(group, None)]
        return None
    if len(cats) < 2 or [j for j, _ in cats] != list(range(cats[0][0], cats[0][0] + len(cats))):
        return None
    group = next((i for i, h in enumerate(heading) if R.header_role(h) == "group"), None)
    spanning = len(heading) + len(subs) - width  # each spanning cell gives way to its sub-headings
    if group is None or spanning < 1 or project > group:
        return None
    before = cats[0][0]  # sub-headings left of the categories belong to spanning cells left of the group
    after = len(subs) - before - len(cats)
    spans_before = spanning - 1 - (1 if after else 0)
    if spans_before < 0 or (before and not spans_before) or spans_before > before:
        return None
    first = group + before - spans_before
    return range(project, project + before - spans_before + 1), [(first + k, c) for k, (_, c) in enumerate(cats)]


_YEAR = patterns.compile(r"(?:19|20)\d\d\s*年")
_BRACKETED = patterns.compile(r"[(（][^()（）]*[)）]")


@lexicons.reading_cache
def _and() -> re.Pattern:
    """What joins two counted items in one clause (headers.toml [names] list_joins)."""
    words = lexicons.for_reading("headers").get("names", {}).get("list_joins", []) or ["(?!)"]
    return patterns.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _first_figure(piece: str):
    return next((f for f in _figure().finditer(piece) if not _YEAR.match(piece, f.start())), None)


def _clauses(text: str) -> list[tuple[str, int]]:
    """(clause, offset): cut at the separators, and at 和 / 及 where each side states a figure
    ('完成13个特色精品示范村和49个美丽宜居示范村')."""
    out = []
    start = 0
    for piece in _CLAUSE.split(text):
        parts, at = [], 0
        for m in _and().finditer(piece):
            parts.append((piece[at:m.start()], start + at))
            at = m.end()
        parts.append((piece[at:], start + at))
        if len(parts) > 1 and all(_first_figure(p) for p, _ in parts):
            out.extend(parts)
        else:
            out.append((piece, start))
        start += len(piece) + 1
    return out


def _items(text: str) -> list[tuple[str, str, int]]:
    """(name, figure, offset) of each clause of a cell that states a figure (a year is no figure).
    The words before the figure name it ('受益户数≥200户'); where the clause goes on after the
    figure ('对新增的2个示范村开展持续建设'), the whole clause does."""
    out = []
    for piece, offset in _clauses(text):
        m = _first_figure(piece)
        if m is None:
            continue
        rest = _BRACKETED.sub("", piece[m.end():]).strip()
        if rest.startswith("等"):
            rest = ""  # '…1台(含电池)等其他机械设备': an 'and so on' closes the list
        name = piece.strip() if C.cjk_count(rest) >= 2 else piece[:m.start()].strip(" 、:：")
        if C.cjk_count(name) < 2:
            continue
        out.append((name, m.group(0).strip(), offset + (len(piece) - len(piece.lstrip()))))
    return out


def _another_table(row: Line, heading: Line) -> bool:
    """Whether `row` belongs to another table than the listing under `heading`: it is on another
    sheet or Word table, or it is a heading itself (two cells that name columns: '一级指标 |
    二级指标'); a workbook's sheets and the tables of a text follow on without a break."""
    where, start = row.cells[0].pos, heading.cells[0].pos
    if where is not None and start is not None and (where.sheet, where.table) != (start.sheet, start.table):
        return True
    return sum(R.header_role(R.fold(t.text)) is not None for t in row.cells if t.text.strip()) >= 2


def _names_in(rows: list[Line], col: int) -> int:
    """How many of `rows` hold a name in column `col`: words, not a figure."""
    return sum(1 for r in rows if len(r.cells) > col and C.cjk_count(r.cells[col].text) >= 2
               and not R.fold(r.cells[col].text)[:1].isdigit())


def read(lines: list[Line]) -> list[tuple[list[RawIndicator], int, int]]:
    """(indicators, first line, last line) of each project listing in `lines`."""
    out = []
    n = 0
    while n < len(lines):
        ln = lines[n]
        if ln.kind != "row" or len(ln.cells) < 4 or not any("项" in t.text or "項" in t.text for t in ln.cells):
            n += 1
            continue  # no 项目名称 heading in it (a substring test first: most rows)
        heads = [R.fold(t.text) for t in ln.cells]
        roles = [R.header_role(h) if h else None for h in heads]
        if "project" not in roles or ("group" not in roles and sum(bool(_category(h)) for h in heads if h) < 2):
            n += 1
            continue  # no 绩效目标 and no categories: whatever rows follow, no listing (see _columns)
        while heads and not heads[-1]:
            heads.pop()  # a trailing '|' is no column
        subs, k = _sub_headings(lines, n)
        rows = []
        while k < len(lines) and lines[k].kind in ("row", "blank"):
            if lines[k].kind == "row":
                if _another_table(lines[k], ln):
                    break
                rows.append(lines[k])
            k += 1
        width = max((len(r.cells) for r in rows), default=0)
        found = _columns(heads, subs, width) if rows else None
        if found is None:
            n += 1
            continue
        projects, cats = found
        # the column of the names ('村道硬化项目'), not of an amount ('50万元'); the first if alike
        project_col = max(projects, key=lambda c: (_names_in(rows, c), -c))
        if cats[0][1] is None:
            # cells the heading does not name push the 绩效目标 column right: where its clauses are
            shift = max(range(width - len(heads) + 1), key=lambda d: sum(
                len(_items(r.cells[cats[0][0] + d].text)) for r in rows if len(r.cells) > cats[0][0] + d))
            project_col, cats = project_col + shift, [(cats[0][0] + shift, None)]
        read_rows = [r for r in rows if len(r.cells) > max(c for c, _ in cats)]
        indicators = []
        figures = 0
        for row in read_rows:
            project = row.cells[project_col].text.strip()
            if C.cjk_count(project) < 2:
                continue
            for col, category in cats:
                tok = row.cells[col]
                items = _items(tok.text)
                figures += bool(items)
                for name, figure, offset in items:
                    indicators.append(RawIndicator(
                        name=name, value=figure, level1=category, level2=None,
                        level1_raw=category + "指标" if category else None,
                        level2_raw=None, period=None, line=tok.line, column=(tok.column or 1) + offset,
                        pos=tok.pos if tok.pos is not None else Position(line=tok.line, column=(tok.column or 1) + offset),
                        project=project))
        if indicators and figures * 2 >= len(read_rows):
            out.append((indicators, ln.line or 0, rows[-1].line or 0))
            n = k
        else:
            n += 1
    return out
