"""Segmentation: find the performance-target tables in a document and turn rows into indicators.

`segment(doc)` is the one entry point; the modules beside it each handle one layout family:
`layout` (text → rows of cells), `header` (column roles), `grid` (row tables), `stream`
(one cell per line), `prose` (prose and run-together rows), `projects` (names, budgets, year).
"""
from __future__ import annotations

from typing import Optional

from kpicheck import patterns
from kpicheck.models import Extraction, Indicator, Position, SourceDocument
from kpicheck.segment import cells as C
from kpicheck.segment import grid, header, narrative, projects, prose, stream
from kpicheck.segment.labels import parse_label, simplify
from kpicheck.segment.layout import SPACED_CELL, Line, Tok, document_lines, split_spaces

_SECTION = patterns.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+\s*[、．]|第[一二三四五六七八九十]+部分|#)")
_PERIOD_LINE = patterns.compile(r"(长期|中期|实施期|年度|总)(?:绩效)?目标\s*(?:\d+\s*)?是?[:：]")  # no \s*\d*\s*: quadratic on spaces
_COLON_LABEL = patterns.compile(r"(?:产出|效益|效果|满意度|数量|质量|时效)(?:指标|目标)\s*[:：]")
_TABLE_END = patterns.compile(r"设置说明|收入预算|支出预算|预算表|测算依据|项目名称|项目编码|项目主管部门|单位\s*[:：]\s*万?元|金额单位|"
                              r"绩效(?:目标|指标|自评)\S{0,8}表\s*$")  # the next table's title
# In a one-cell-per-line table: the next project's form or table title starts here.
_NEXT_FORM = patterns.compile(r"^\s*(?:项目名称|项目编码|项目主管部门)\s*[:：]?\s*$|绩效(?:目标|指标|自评)\S{0,8}表\s*$")
_YEAR_CELL = patterns.compile(r"(?:19|20)\d\d年?")
_NOTE_LINE = patterns.compile(r"注\s*[:：]")
_FLAT_START = patterns.compile(r"一级指标|指标名称")
_FLAT_WORDS = patterns.compile(r"一级指标|二级指标|三级指标|指标内容|指标值|指标名称|计量单位|指标权重|指标性质")
_SPACE = patterns.compile(r"\s")
# Every word of the project, code and budget roles holds one of these (or its traditional form):
# the cells above a table are mostly names and amounts, whose roles need not be worked out.
_FORM_KEY_HINT = patterns.compile("[项項编編代资資金预預]")
_WIDE_COL = patterns.compile(r"^(.{2,12}?)指标\s*\d+\s*[(（]\s*(中期|年度|长期)\s*[)）]$")


def _texts(line: Line) -> list[str]:
    return [c.text for c in line.cells if c.text.strip()]


def _is_grid_header(line: Line) -> bool:
    if line.kind != "row" or (line.raw and not header.may_hold_header_words(line.raw)):
        return False
    texts = _texts(line)
    if header.header_hits(texts) < 2:
        return False
    roles = [header.role_of(t) for t in texts]
    return "name" in roles or ("value" in roles and "l2" in roles)


def _row_cells(line: Line) -> list[grid.Cell]:
    return [grid.classify(t) for t in line.cells if t.text.strip()]


def _read_grid(lines: list[Line], i: int, out: list, spaces: bool) -> int:
    head = lines[i] if not spaces else split_spaces(lines[i])
    above: list[list[tuple[int, str]]] = []
    k = i - 1
    while k >= 0 and len(above) < 3 and i - k <= 6:
        if lines[k].kind == "row":
            above.append([(c.idx, c.text) for c in lines[k].cells if c.text])
        elif lines[k].kind == "text":
            above.append([(0, lines[k].cells[0].text)])
        k -= 1
    cells = [(c.idx, c.text) for c in head.cells if c.text]
    taken = {c for c, _ in cells}
    for row in above:  # merged header cells printed on an upper row (项目名称, 编码)
        if sum(_FORM_KEY_HINT.search(t) is not None and header.role_of(t) in ("project", "code", "budget")
               for _, t in row) < 2:
            continue
        for col, text in row:
            if col not in taken and header.role_of(text) in ("project", "code"):
                cells.append((col, text))
                taken.add(col)
    cells.sort()
    j = i + 1
    sub = None
    if j < len(lines) and lines[j].kind == "row":
        texts = _texts(lines[j])
        if texts and all(header.role_of(t) in ("year", "value") or _YEAR_CELL.fullmatch(t) for t in texts):
            sub = [(c.idx, c.text) for c in lines[j].cells if c.text]
            j += 1
    slots = header.build_slots(cells, sub)
    header.assign_categories(slots, above)
    header.assign_periods(slots, above)
    state = grid.State()
    for rows_above in above:
        for _, t in rows_above:
            p = grid.period_of(t) if len(t) < 20 else None
            if p:
                state.period = p
    weight = 0.0 if spaces else 0.35
    dead = 0
    while j < len(lines):
        ln = lines[j]
        if ln.kind in ("blank", "pipes"):
            j += 1
            continue
        if ln.kind == "text":
            if spaces:
                ln = split_spaces(ln)
                # a label wrapped onto its own line: '项目效益' / '指标'
                nxt = j + 1
                if nxt < len(lines) and lines[nxt].kind == "text" and lines[nxt].cells[0].text in ("指标", "指 标"):
                    last = ln.cells[-1]
                    ln.cells[-1] = Tok(last.text + "指标", last.line, last.column, last.idx)
                    ln.raw = " ".join(c.text for c in ln.cells)  # what it holds now (header tests read it)
                    lines[nxt] = Line("blank", [], lines[nxt].line)
            elif (len(ln.cells[0].text) > 30 and not ("标" in ln.cells[0].text and _COLON_LABEL.search(ln.cells[0].text))) \
                    or ln.cells[0].text.startswith("#"):
                break
        if j != i and _is_grid_header(ln if ln.kind == "row" else split_spaces(ln)) and header.header_hits(_texts(ln)) >= 3:
            break
        texts = _texts(ln)
        if texts and (C.is_stop(texts[0]) or _TABLE_END.search(" ".join(texts[:2]))):
            break
        if (not ln.raw or header.may_hold_header_words(ln.raw)) and any(map(header.is_header_cell, texts)):
            j += 1  # a repeated or partial header line inside the table
            continue
        row = _row_cells(ln)
        found = grid.read_row(row, slots, state, weight)
        out.extend(found)
        if found or any(c.kind in ("label", "period") for c in row):
            dead = 0
        else:
            dead += 1
            if dead >= 4:
                break
        j += 1
    return j


def _stream_header(lines: list[Line], i: int) -> Optional[list[Tok]]:
    """Consecutive one-cell lines from i that form a header (一级指标 | 二级指标 | 三级指标 | 指标值…)."""
    toks: list[Tok] = []
    k = i
    while k < len(lines) and len(toks) < 16:
        ln = lines[k]
        if ln.kind in ("blank", "pipes"):
            k += 1
            continue
        if ln.kind not in ("cell", "text") or len(ln.cells[0].text) > 24:
            break
        if not toks and not header.may_open_stream(ln.cells[0].text):
            return None  # the cheap test first: nearly every line fails it
        role = header.role_of(ln.cells[0].text)
        if role in (None, "category") or parse_label(ln.cells[0].text):
            break
        if not toks and role not in ("l1", "l2", "name"):
            return None
        toks.append(ln.cells[0])
        k += 1
    if header.header_hits([t.text for t in toks]) >= 3:
        return toks
    return None


def _read_stream(lines: list[Line], i: int, head: list[Tok], out: list) -> int:
    slots = header.build_slots([(n, t.text) for n, t in enumerate(head)])
    k = i
    seen = 0
    while k < len(lines) and seen < len(head):
        if lines[k].kind in ("cell", "text"):
            seen += 1
        k += 1
    toks: list[Tok] = []
    while k < len(lines):
        ln = lines[k]
        if ln.kind in ("blank", "pipes"):
            k += 1
            continue
        if ln.kind == "row" or (ln.kind == "text" and len(ln.cells[0].text) > 60):
            break
        text = ln.cells[0].text
        if C.is_stop(text) or _NOTE_LINE.match(text) or _NEXT_FORM.search(text) or _stream_header(lines, k):
            break  # the end of this table, or the next project's form or header
        toks.append(ln.cells[0])
        k += 1
    state = grid.State()
    for row in stream.chunk(toks, slots):
        out.extend(grid.read_row(row, slots, state, 0.0))
    return k


def _flat_header(text: str) -> Optional[int]:
    if "指" not in text:
        return None  # both opening words (一级指标, 指标名称) hold 指, in either script
    t = simplify(text).replace(" ", "")
    m = _FLAT_START.search(t)
    if m and len(_FLAT_WORDS.findall(t)) >= 3:
        return m.start()
    return None


def _read_flat(lines: list[Line], i: int, start: int, out: list, period: str) -> int:
    head = simplify(lines[i].cells[0].text[start:]).replace(" ", "")
    order = [w for w in ("指标名称", "指标权重", "计量单位", "指标性质", "指标值") if w in head]
    weighted = order[:2] == ["指标名称", "指标权重"] and head.find("指标权重") < head.find("指标值")
    state = {"l1": None, "l2": None, "period": period, "table": True, "weighted": weighted}
    k = i
    blank = 0
    while k < len(lines):
        ln = lines[k]
        if ln.kind == "blank":
            blank += 1
            if blank >= 3:
                break
            k += 1
            continue
        blank = 0
        tok = ln.cells[0] if ln.cells else None
        if tok is None:
            k += 1
            continue
        text = tok.text if k != i else tok.text[start:]
        offset = (tok.column or 1) - 1 + (start if k == i else 0)
        if k != i and _flat_header(text) is not None:
            break
        items, state = prose.read_items(text, colon=False, state=state)
        for it in items:
            out.append(_from_prose(it, tok.line, offset + it.offset + 1))
        if state.get("stopped"):
            k += 1
            break
        k += 1
    return k


def _has_label(text: str) -> bool:
    return bool(prose._label_regex(True).search(simplify(text))) or bool(
        parse_label(text.strip("一二三四五六七八九十、. 　")))


def _read_prose(lines: list[Line], i: int, out: list, period: str) -> int:
    k = i
    quiet = 0
    joined = ""
    spans: list[tuple[int, Tok]] = []
    while k < len(lines):
        ln = lines[k]
        if ln.kind == "blank":
            k += 1
            continue
        if ln.kind != "text":
            break
        text = ln.cells[0].text
        has_label = _has_label(text)
        if k != i and (_SECTION.match(text) or ("目标" in text and _PERIOD_LINE.search(text))) and not has_label:
            break
        if has_label:
            quiet = 0
        else:
            quiet += 1
            if quiet > 12:
                break
        spans.append((len(joined), ln.cells[0]))
        joined += text
        k += 1
    items, _ = prose.read_items(joined, colon=True, period=period)
    for it in items:
        tok = spans[0][1]
        for off, t in spans:
            if off <= it.offset:
                tok = t
        out.append(_from_prose(it, tok.line, tok.column))
    return k


def _from_prose(it: prose.ProseItem, line: Optional[int], column: Optional[int]) -> grid.RawIndicator:
    return grid.RawIndicator(
        name=it.name, value=it.value, level1=it.level1, level2=it.level2,
        level1_raw=it.level1_raw, level2_raw=it.level2_raw, period=it.period,
        tok=Tok(it.name, line, column, 0),
    )


def _wide_columns(line: Line) -> Optional[dict[int, tuple[str, str]]]:
    """A header of one column per (category, period): '质量指标1 (中期) | 质量指标2 (年度) | …'."""
    if line.kind != "row" or (line.raw and "指标" not in line.raw):
        return None  # a text row's raw line holds all its cells: one test for the row
    cols = {}
    for c in line.cells:
        if "指标" not in c.text:
            continue  # the cheap test first: this runs on every row
        m = _WIDE_COL.match(c.text.strip())
        if m:
            cols[c.idx] = (m.group(1), "long_term" if m.group(2) in ("中期", "长期") else "annual")
    return cols if len(cols) >= 4 else None


def _read_wide(lines: list[Line], i: int, cols: dict[int, tuple[str, str]], out: list) -> int:
    above = [c for k in range(max(0, i - 3), i) if lines[k].kind == "row" for c in lines[k].cells if c.text]
    sat_cols = [c.idx for c in above if "满意" in c.text]
    j = i + 1
    ncol = max(cols) + 1
    while j < len(lines) and lines[j].kind == "row":
        for c in lines[j].cells:
            text = c.text.strip()
            if not text or text in ("无", "/"):
                continue
            stem, period = cols.get(c.idx, (None, "annual"))
            if c.idx >= ncol or stem is None:
                stem, period = ("满意度", "annual") if sat_cols else (None, "annual")
            label = parse_label(stem + "指标") if stem else None
            name, value = C.split_name_value(text)
            level2 = label.canonical if label else None
            level1 = (label.parent or label.canonical) if label else None
            if stem == "满意度":
                level1, level2 = "满意度", "服务对象满意度"
            if level1 == "产出" and level2 == "成本":
                level1 = "产出"
            out.append(grid.RawIndicator(name=name, value=value, level1=level1, level2=level2,
                                         level1_raw=None, level2_raw=(stem + "指标") if stem else None,
                                         period=period, tok=c))
        j += 1
    return j


# What follows a complete target table: its 合计 row, signatures, notes, a date, the next
# table or section. Seen after the last indicator, the document was not cut off there.
_CLOSED_AFTER = patterns.compile(
    r"合\s*计|总\s*分|负责人|填报人|审核人|审核意见|联系电话|填报日期|盖章|^\s*注\s*[:：]|^\s*说明\s*[:：]|^\s*附件|"
    r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|项目名称|第[一二三四五六七八九十]+部分|"
    r"^\s*#*\s*[一二三四五六七八九十]+\s*、|绩效目标表|申报表|评价结论|改进措施|存在问题")


def _truncated(lines: list[Line], indicators: list[Indicator]) -> Optional[bool]:
    """False when something that closes a table follows the last indicator; None otherwise
    (a table that ends with the document may be complete or cut off: rules stay cautious)."""
    last = max((i.line or 0 for i in indicators), default=None)
    if last is None:
        return None
    seen = 0
    for ln in lines:
        if (ln.line or 0) <= last or not ln.nonblank:
            continue
        if _CLOSED_AFTER.search(" ".join(t.text for t in ln.nonblank)):
            return False
        seen += 1
        if seen >= 15:
            break
    return None


def _pair_columns(line: Line) -> Optional[dict[int, tuple[int, str, Optional[str], str]]]:
    """A one-row header of (category, 指标值) column pairs: '产出指标 | 指标值 | 效益指标 | 指标值'.
    Name column → (value column, 一级, 二级, the label as printed)."""
    if line.kind != "row" or (line.raw and "值" not in line.raw):
        return None
    cells = [c for c in line.cells if c.text.strip()]
    if not any("值" in c.text for c in cells):
        return None  # no 指标值 heading: the cheap test first, this runs on every row
    pairs: dict[int, tuple[int, str, Optional[str], str]] = {}
    for a, b in zip(cells, cells[1:]):
        label = parse_label(a.text.strip())
        if label and header.role_of(b.text) == "value":
            level1 = label.parent or label.canonical
            level2 = label.canonical if label.parent else None
            if level1 == "产出" and level2 == "成本":
                level1 = "产出"  # the legacy 产出/成本 column
            pairs[a.idx] = (b.idx, level1, level2, a.text.strip())
    if len(pairs) >= 2 or (pairs and len(cells) == 2):  # '产出指标 | 指标值' alone heads a table too
        return pairs
    return None


def _read_pairs(lines: list[Line], i: int, pairs: dict[int, tuple[int, str, Optional[str], str]], out: list) -> int:
    j = i + 1
    while j < len(lines) and lines[j].kind in ("row", "blank"):
        ln = lines[j]
        texts = _texts(ln)
        if ln.kind == "blank":
            j += 1
            continue
        if texts and (C.is_stop(texts[0]) or _TABLE_END.search(" ".join(texts[:2]))):
            break
        by_idx = {c.idx: c for c in ln.cells}
        for name_idx, (value_idx, level1, level2, printed) in pairs.items():
            name_cell = by_idx.get(name_idx)
            name = name_cell.text.strip() if name_cell else ""
            value = by_idx[value_idx].text.strip() if value_idx in by_idx else ""
            if not name or C.is_blank(name) or name in ("无", "/"):
                continue
            out.append(grid.RawIndicator(name=name, value=value, level1=level1, level2=level2,
                                         level1_raw=None if level2 else printed, level2_raw=printed if level2 else None,
                                         period="annual", tok=name_cell))
        j += 1
    return j


def _number_rows(lines: list[Line]) -> None:
    """Rows of a workbook or Word table carry a sheet/row position, not a line number; number
    them in reading order so that each indicator goes to the project form above it."""
    for n, ln in enumerate(lines, start=1):
        if ln.line is None:
            ln.line = n
        for tok in ln.cells:
            if tok.line is None:
                tok.line = n


def segment(doc: SourceDocument) -> Extraction:
    """Every performance indicator in `doc`, with its project, period and declared category."""
    lines = document_lines(doc)
    if doc.format != "text":
        _number_rows(lines)
    raw: list[grid.RawIndicator] = []
    period = "annual"
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind in ("blank", "pipes"):  # a third of a PDF's lines: no table or prose starts there
            i += 1
            continue
        if ln.kind == "row":  # the three headers of a row table (each test is False on other lines)
            if _is_grid_header(ln):
                i = _read_grid(lines, i, raw, spaces=False)
                continue
            wide = _wide_columns(ln)
            if wide:
                i = _read_wide(lines, i, wide, raw)
                continue
            pairs = _pair_columns(ln)
            if pairs:
                i = _read_pairs(lines, i, pairs, raw)
                continue
            i += 1
            continue
        if ln.kind == "text":
            t = ln.cells[0].text
            pm = _PERIOD_LINE.search(t) if "目标" in t else None  # a substring test first: ~20x cheaper
            if pm and len(t) < 200:
                period = "annual" if pm.group(1) == "年度" else "long_term"
        head = _stream_header(lines, i)  # a "cell" or "text" line
        if head:
            i = _read_stream(lines, i, head, raw)
            continue
        if ln.kind == "text":
            text = ln.cells[0].text
            flat_at = _flat_header(text)
            if flat_at is not None and not _SPACE.search(text[flat_at:].strip()):
                i = _read_flat(lines, i, flat_at, raw, period)
                continue
            # a header row whose cells are separated by spaces; its words first (cheap, cached)
            if header.may_hold_header_words(text) and header.header_hits(SPACED_CELL.findall(text)) >= 3 \
                    and _is_grid_header(split_spaces(ln)):
                i = _read_grid(lines, i, raw, spaces=True)
                continue
            if ("标" in text and _COLON_LABEL.search(text)) or (
                    parse_label(text.strip("一二三四五六七八九十、 .")) and i + 1 < len(lines)
                    and any(prose._label_regex(True).search(lines[k].cells[0].text)
                            for k in range(i + 1, min(i + 3, len(lines))) if lines[k].kind == "text")):
                i = _read_prose(lines, i, raw, period)
                continue
        i += 1
    unit = narrative.unit_name(lines)
    declared = narrative.headings(lines, unit)
    found = sorted(projects.find_projects(lines, unit) + declared, key=lambda pair: pair[0])
    narrative.state_facts(found, lines, unit, declared)
    indicators = []
    for n, r in enumerate(raw, start=1):
        line = r.tok.line
        project = r.project or projects.project_at(found, line, r.tok.column)
        pos = r.tok.pos if isinstance(r.tok.pos, Position) else Position(line=line, column=r.tok.column)
        indicators.append(Indicator(
            id=f"I{n:04d}", project=project, period=r.period,
            declared_level1_raw=r.level1_raw, declared_level2_raw=r.level2_raw,
            declared_level1=r.level1, declared_level2=r.level2,
            name=r.name, value=r.value, value_type=r.value_type, direction=r.direction,
            line=line, column=r.tok.column, pos=pos,
        ))
    projs = []
    seen = set()
    for _, p in found:
        if p.name not in seen:
            seen.add(p.name)
            projs.append(p)
    projs = projects.reconcile(projs, [i.project for i in indicators], lines)
    projs = projects.attach_periods(projs, lines)
    return Extraction(budget_year=projects.budget_year(lines), truncated=_truncated(lines, indicators),
                      projects=projs, indicators=indicators)
