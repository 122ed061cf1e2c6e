"""Where a table that prints no heading starts: at a category label (with the rows of cells
just above it), at numbered indicator names that state targets, or at lines of name-target pairs
(several cells a line, or one cell a line, the target first or second)."""
from __future__ import annotations

from typing import Optional

from kpicheck import patterns
from kpicheck.textcache import text_cache
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.atoms import CELL, NEWLINE, Atom


def line_start(atoms: list[Atom], k: int) -> bool:
    return k == 0 or atoms[k].gap >= NEWLINE


def numbered_rows(atoms: list[Atom], k: int) -> bool:
    """'指标1:居民健康档案 38508人 … 指标2:…', '1.疫苗接种率≥90%' / '2.…': three numbered
    indicator names close together, each followed by a target on its line, start a table that
    prints neither heading nor category label."""
    if not (_list_item(atoms, k) and value_follows(atoms, k)):
        return False  # (the first item states a target too: a goal's numbered tasks are no table)
    seen, j = 0, k
    while j < len(atoms) and j - k < 40 and seen < 3:
        if _list_item(atoms, j) and value_follows(atoms, j):
            seen += 1
        j += 1
    return seen >= 3


def line_texts(atoms: list[Atom], j: int) -> tuple[list[str], int]:
    """The texts of the line atom j starts (its empty cells left out), and the atom after it."""
    line, texts = atoms[j].line, []
    while j < len(atoms) and atoms[j].line == line:
        if atoms[j].text:
            texts.append(atoms[j].text)
        j += 1
    return texts, j


def pair_rows(atoms: list[Atom], k: int) -> Optional[str]:
    """Three lines from atom k, each a name and a target in the same order: a table with neither
    heading nor category label ('培训人数  ≥100人', or '≥100人  培训人数' when its columns are
    printed the other way round). 'name' or 'value' (what comes first), else None."""
    orders = []
    marked = False  # one of them at least states a target as a target (≥, %), not an amount
    misses = 0
    j = k
    while len(orders) < _PAIR_LOOK and not (marked and len(orders) >= 3):
        if j >= len(atoms):
            break
        pieces, j = line_texts(atoms, j)
        order = _pair_order(pieces)
        if order is None and orders and misses < 2 and 2 <= len(pieces) <= 6 and R.name_score(pieces[0]) >= 1.0:
            misses += 1  # a row whose target is words ('系统7*24小时运行…'): the pairs go on after it
            continue
        if order is None or (orders and order != orders[0]):
            break
        marked = marked or any(TARGET_MARK.search(p) for p in pieces)
        orders.append(order)
    return orders[0] if marked and len(orders) >= 3 else None


def form_rows(atoms: list[Atom], k: int) -> bool:
    """Right under a project's form (项目名称, 年度资金总额, 年度绩效目标 …), lines of cells that
    each print a name and something after it are the project's indicator rows, whatever their
    targets look like ('社保卡补卡换卡数量 | 三代卡补卡换卡年增7万张'), as long as one of the
    first lines marks a target as such."""
    if not line_start(atoms, k) or k == 0:
        return False
    before = k - 1
    while before > 0 and not atoms[before].text:
        before -= 1
    first = before
    while first > 0 and atoms[first - 1].line == atoms[before].line:
        first -= 1
    lead = atoms[first].text
    if not (R.terminator(lead) or R.header_role(lead) in _FORM_ROLES):
        return False
    rows, marked, j = 0, False, k
    while rows < _PAIR_LOOK and j < len(atoms):
        pieces, j = line_texts(atoms, j)
        if not pieces:
            continue
        if not (2 <= len(pieces) <= 5 and _stream_name(pieces[0])):
            break
        marked = marked or any(TARGET_MARK.search(p) for p in pieces[1:])
        rows += 1
    return rows >= 3 and marked


_FORM_ROLES = ("group", "goal", "project", "budget")


# How many lines of pairs are looked at for one that marks a target as such (the first rows may
# all be counts: '持卡人数 | 1100万人', '短信平台 | 月均11万条', … '满意度 | 100%').
_PAIR_LOOK = 8


_STREAM_LOOK = 24  # lines looked at for name-target pairs printed a cell per line


_STREAM_PAIRS = 3


def stream_pairs(atoms: list[Atom], k: int) -> Optional[str]:
    """The same table printed one cell per line ('信息运维系统建设数' / '1个' / '1个' / …): from
    atom k, lines of one cell each where a name is followed within three lines by a target
    (or a target by a name), three times at least, one of the targets marked as a target."""
    lines: list[str] = []
    j = k
    while j < len(atoms) and len(lines) < _STREAM_LOOK:
        texts, j = line_texts(atoms, j)
        if len(texts) > 1:
            break  # a line of several cells: not this layout
        if texts:
            lines.append(texts[0])
            if len(lines) == 1 and not _stream_kind(texts[0]):
                return None  # pairs start at the first line: it is a name or a target
    kinds = [_stream_kind(t) for t in lines]
    for first, second in (("name", "target"), ("target", "name")):
        pairs, marked, used = 0, False, -1
        for i, kind in enumerate(kinds):
            if kind != first or i <= used:
                continue
            nxt = next((m for m in range(i + 1, min(len(kinds), i + 4)) if kinds[m] == second), None)
            if nxt is None or any(kinds[m] == first for m in range(i + 1, nxt)):
                continue
            pairs += 1
            used = nxt
            marked = marked or TARGET_MARK.search(lines[nxt if second == "target" else i]) is not None
        if pairs >= _STREAM_PAIRS and marked and kinds[0] == first:
            return "name" if first == "name" else "value"
    return None


@text_cache(8192)  # a line is asked once for each line start up to _STREAM_LOOK lines above it
def _stream_kind(text: str) -> str:
    """What the one cell of a line is in a table printed a cell per line: 'target', 'name' or ''."""
    return "target" if _target_like(text) else "name" if _stream_name(text) else ""


def _stream_name(text: str) -> bool:
    return R.name_score(text) >= 1.0 and R.label_of(text) is None and R.funds_label_score(text) <= 0 \
        and not R.terminator(text) and R.header_role(text) is None


def _pair_order(pieces: list[str]) -> Optional[str]:
    if not 2 <= len(pieces) <= 4:
        return None
    first, rest = pieces[0], pieces[1:]
    if _target_like(first):
        return "value" if any(R.name_score(t) >= 1.0 for t in rest) else None
    if R.name_score(first) >= 1.0 and any(_target_like(t) for t in rest):
        return "name"
    return None


def _target_like(text: str) -> bool:
    """A target, not a page number or a budget line's amount: a comparator, a percentage or a
    number with its unit."""
    return R.value_like(text) >= 2.5 and (TARGET_MARK.search(text) is not None or R.quantity(text))


def _list_item(atoms: list[Atom], j: int) -> bool:
    """A numbered name that opens an item of a list: '指标3:' anywhere, '3.' at the start of its
    line or cell (not numbering inside a sentence)."""
    a = atoms[j]
    return R.numbered_name(a.text) and (a.text[:1] == "指" or a.gap >= CELL)


# A target stated as a target (a comparator, a percentage, 以上…), not an amount.
TARGET_MARK = patterns.compile(r"[≥≤><=＝＞＜≧≦%％]|以上|以下|以内|不低于|不少于|不超过")


def value_follows(atoms: list[Atom], j: int) -> bool:
    """A target-like piece after atom j, before the next numbered name or line break."""
    line = atoms[j].line
    strong = atoms[j].text[:1] == "指"  # '指标3:' names an indicator; '3.' may number anything
    for m in range(j + 1, min(len(atoms), j + 6)):
        a = atoms[m]
        if a.line != line or R.numbered_name(a.text):
            return False
        if R.value_like(a.text) >= 2.5 and (strong or TARGET_MARK.search(a.text)):
            return True  # after a bare number, a target, not a budget line's amount
    return False


def order_after_labels(atoms: list[Atom], k: int) -> Optional[str]:
    """Under a category label, whether the rows print the target before the name ('≤36万元' /
    '年初预算'): the order of the first lines of cells that are no label."""
    for j in range(k, min(len(atoms), k + _LABEL_REACH)):
        if line_start(atoms, j) and atoms[j].text and R.label_of(atoms[j].text) is None:
            return pair_rows(atoms, j) or stream_pairs(atoms, j)
    return None


_LABEL_REACH = 6  # atoms: the labels that open a table, then its first row


def rows_before(atoms: list[Atom], pos: int, anchor: int) -> int:
    """Where a table found at a category label really starts: rows of cells just above the
    label that print a name and a target are its first rows, under a label lost above them (a
    document that starts mid-table, a page break after the label)."""
    start = anchor
    k = anchor
    while k > pos and atoms[k - 1].line == atoms[anchor].line:
        k -= 1  # the label's own line is the table's already
    if k < anchor:
        return anchor  # (a label inside a line: what precedes it on the line is not a row above)
    while k > pos:
        line = atoms[k - 1].line
        first = k - 1
        while first > pos and atoms[first - 1].line == line:
            first -= 1
        cells = [atoms[j].text for j in range(first, k) if atoms[j].text]
        k = first
        if not cells:
            continue  # an empty row of cell edges between two rows
        if not _indicator_row(atoms, first, cells):
            break
        start = first
    return start


def _indicator_row(atoms: list[Atom], first: int, cells: list[str]) -> bool:
    """A line of cells that reads as one indicator: a name (no label, heading or funds row)
    first, then a target."""
    if len(cells) < 3 or atoms[first].cells < 3 or not line_start(atoms, first):
        return False
    name = cells[0]
    if R.name_score(name) < 1.0 or R.label_of(name) is not None or R.funds_label_score(name) > 0 \
            or R.terminator(name) or R.junk_kind(name) is not None:
        return False
    return any(C.is_comparator(t) or (R.value_like(t) >= 2.5 and TARGET_MARK.search(t)) for t in cells[1:])
