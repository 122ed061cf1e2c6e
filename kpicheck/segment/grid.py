"""Row tables: align each row's non-blank cells to the header's column slots.

PDF and web text shift and drop cells, so a row is matched to the slots by a monotone
alignment that scores what each cell looks like (label, value, unit, name…) against the role of
the slot, with a small cost for distance from the slot's column. A category-label state machine
carries 一级/二级 down rows that leave them blank.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from kpicheck import patterns
from kpicheck.segment import cells as C
from kpicheck.segment.header import Slot
from kpicheck.segment.labels import Label, parse_label, simplify
from kpicheck.segment.layout import Tok
from kpicheck.textcache import text_cache

NEG = -1e9
_PERIOD = patterns.compile(r"^(长期|中期|实施期|年度|本年度|当年|项目|整体)(?:绩效)?(?:总)?(?:目标|指标|绩效指标)\s*\d*\s*[:：]?$")
_SCORE = patterns.compile(r"^\d{1,3}(?:\.\d+)?\s*分?$")
_DIGITS = patterns.compile(r"\d{3,}")
_MONEY = patterns.compile(r"^[\d,，.\s]+(?:万元|元|万)?$")
_IGNORE = patterns.compile(r"^(?:绩效指标|绩效目标|指标|年度绩效指标|绩\s*效\s*指\s*标|本年度\s*绩效指标|目标)$")
_NAME_PREFIX = patterns.compile(r"^(?:[★☆*]+|指标\s*\d+\s*[:：]|\d{1,2}\s*[、.．]\s*(?=\D))")


def period_of(text: str) -> Optional[str]:
    m = _PERIOD.match(simplify(text).replace(" ", ""))
    if not m:
        return None
    word = m.group(1)
    if word in ("长期", "中期", "实施期"):
        return "long_term"
    if word in ("年度", "本年度", "当年"):
        return "annual"
    return None


@dataclass
class Cell:
    tok: Tok
    kind: str
    label: Optional[Label] = None
    vscore: float = 0.0


def classify(tok: Tok) -> Cell:
    return Cell(tok, *_look(tok.text))


@text_cache(8192)  # what a cell looks like depends on its text alone; texts repeat a lot
def _look(text: str) -> tuple[str, Optional[Label], float]:
    if _IGNORE.match(simplify(text)):
        return "blank", None, 0.0
    if period_of(text):
        return "period", None, 0.0
    k = C.kind(text)
    label = parse_label(text) if k == "label" else None
    return k, label, C.value_score(text)


def compat(cell: Cell, slot: Slot) -> float:
    k, r = cell.kind, slot.role
    if k in ("blank", "period"):
        return NEG
    if r == "l1":
        if k == "label":
            if cell.label.canonical == "成本":
                return 2.5  # alone, 成本指标 is more often the legacy 二级 under 产出
            return 3.0 if cell.label.level == 1 else 1.0
        return NEG
    if r == "l2":
        if k == "label":
            return 3.0 if cell.label.level == 2 else 1.5
        return NEG
    if k == "label":
        return NEG
    if r == "name":
        if k == "name":
            return 2.0
        if k == "value":
            return 0.6 if C.cjk_count(cell.tok.text) >= 2 else -0.5
        return NEG
    if r == "value":
        if k == "value":
            return 3.0
        if k == "name":
            return 1.2
        return NEG
    if r == "year":
        return 1.4 if k == "value" else (0.5 if k == "name" else NEG)
    if r == "multi":
        return 2.5 if k == "value" else (0.5 if k == "name" else NEG)
    if r == "unit":
        return 3.0 if k == "unit" else NEG
    if r == "attr":
        return 3.0 if k in ("comparator", "direction", "value_type") else NEG
    if r == "actual":
        return 0.8 if k == "value" else (0.2 if k == "name" else NEG)
    if r == "score":
        return 1.5 if _SCORE.match(cell.tok.text) else NEG
    if r == "note":
        if k == "note":
            return 2.0
        return 0.6 if k == "name" else NEG
    if r == "project":
        return 2.0 if k == "name" and C.cjk_count(cell.tok.text) >= 2 else NEG
    if r == "code":
        return 1.0 if _DIGITS.search(cell.tok.text) and C.cjk_count(cell.tok.text) <= 2 else NEG
    if r == "budget":
        return 1.0 if _MONEY.match(cell.tok.text) else NEG
    return 0.1 if k in ("name", "value", "note") else NEG


def skip_cost(cell: Cell) -> float:
    if cell.kind in ("blank", "period", "label", "comparator", "direction", "value_type", "unit", "note"):
        return 0.0
    return -0.8


def align(row: list[Cell], slots: list[Slot], weight: float, cache: Optional[dict] = None) -> dict[int, int]:
    """Best monotone matching cell i → slot j; returns {cell index: slot index}.

    Cells may sit a column or two off their slot (PDF text drops or merges cells), so several
    shifts of the row are scored and the best kept (the first on a tie)."""
    # What a cell scores against a slot does not depend on the shift: computed once per row.
    # It depends on the slot's role only, and wide tables repeat roles (one `multi` per place).
    numbered = [(j, slot, slot.role) for j, slot in enumerate(slots, start=1)]
    options = []
    for cell in row:
        by_role: dict[str, float] = {}
        opts = []
        for j, slot, role in numbered:
            c = by_role.get(role)
            if c is None:
                c = by_role[role] = compat(cell, slot)
            if c > NEG / 2:
                opts.append((j, c, slot.col))
        options.append(opts)
    skips = [skip_cost(cell) for cell in row]
    idxs = [cell.tok.idx for cell in row]
    if cache is not None:  # the result depends on nothing else (slots enter through options)
        key = (tuple(map(tuple, options)), tuple(skips), tuple(idxs), len(slots), weight)
        if key in cache:
            return dict(cache[key])
    shifts = _SHIFTS if weight else (0,)
    ceilings = _ceilings(options, skips, idxs, weight) if weight else {0: 0.0}
    best_score, best_rank, best_map = NEG, 0, {}
    # The most promising shift first; the first shift (in _SHIFTS order) of the best score wins.
    for shift in sorted(shifts, key=ceilings.__getitem__, reverse=True):
        if ceilings[shift] + 1e-6 < best_score:
            break  # this one and the rest cannot reach the best (1e-6: float rounding margin)
        score, mapping = _align(options, skips, idxs, len(slots), shift, weight)
        rank = shifts.index(shift)
        if score > best_score or (score == best_score and rank < best_rank):
            best_score, best_rank, best_map = score, rank, mapping
    if cache is not None:
        cache[key] = dict(best_map)
    return best_map


_SHIFTS = (0, 1, -1, 2, -2)  # cells may sit a column or two off their slot


def _ceilings(options: list[list[tuple[int, float, int]]], skips: list[float], idxs: list[int],
              weight: float) -> dict[int, float]:
    """Per shift in _SHIFTS, a score no alignment can beat: every cell on its best slot,
    ignoring order and slots taken twice (the five shifts in one pass: this runs per row)."""
    pens = _shift_penalties(weight)  # pens[d + 10]: the costs of a cell d columns off its slot, per shift
    t0 = t1 = t2 = t3 = t4 = 0.0
    for opts, sc, idx in zip(options, skips, idxs):
        b0 = b1 = b2 = b3 = b4 = sc
        for _, c, col in opts:
            d = idx - col
            p0, p1, p2, p3, p4 = pens[18 if d > 8 else (2 if d < -8 else d + 10)]  # beyond 8 columns: flat
            if c - p0 > b0:
                b0 = c - p0
            if c - p1 > b1:
                b1 = c - p1
            if c - p2 > b2:
                b2 = c - p2
            if c - p3 > b3:
                b3 = c - p3
            if c - p4 > b4:
                b4 = c - p4
        t0 += b0
        t1 += b1
        t2 += b2
        t3 += b3
        t4 += b4
    return {0: t0, 1: t1, -1: t2, 2: t3, -2: t4}


@lru_cache(maxsize=8)
def _shift_penalties(weight: float) -> tuple[tuple[float, ...], ...]:
    """Row d + 10 (d from -8 to 8): the costs of a cell d columns off its slot under each shift of
    _SHIFTS, in that order."""
    pen = _penalties(weight)
    return tuple(tuple(pen[d + s] for s in _SHIFTS) if 2 <= d <= 18 else () for d in range(21))


@lru_cache(maxsize=8)
def _penalties(weight: float) -> tuple[float, ...]:
    return tuple(weight * min(abs(k), 6) for k in range(-10, 11))


def _align(options: list[list[tuple[int, float, int]]], skips: list[float], idxs: list[int], m: int,
           shift: int, weight: float) -> tuple[float, dict[int, int]]:
    """One shift. dp[i][j]: best score of cells < i over slots < j; each step leaves slot j
    empty (dp[i][j-1]), skips cell i (dp[i-1][j] + skip cost) or matches them. A row of the
    table is a running maximum; which step won is worked out again only along the path read
    back, with the same comparisons as the plain loop (so ties resolve the same)."""
    pen = _penalties(weight)  # pen[d + 10] == weight * min(abs(d), 6), d clamped to +-10
    prev = [0.0] * (m + 1)
    dp = [prev]
    matches: list[dict[int, float]] = []
    for i, opts in enumerate(options):
        sc = skips[i]
        best = [p + sc for p in prev] if sc else prev[:]  # skip the cell
        match = {}
        lo = hi = 0  # the slots a match raised (opts come in slot order); 0: none
        if opts:
            at = idxs[i] + shift + 10
            for j, c, col in opts:
                d = at - col
                v = prev[j - 1] + c - pen[20 if d > 20 else (0 if d < 0 else d)]
                if v > best[j]:  # a match that does not beat the skip is never read back: not kept
                    match[j] = best[j] = v
                    hi = j
                    if not lo:
                        lo = j
        if lo:  # or leave slot j empty: the running maximum, from the first raised slot; past
            top = best[lo]  # the last one it stops where the row (non-decreasing) catches up
            for k in range(lo + 1, m + 1):
                x = best[k]
                if x < top:
                    best[k] = top
                elif k > hi:
                    break
                else:
                    top = x
        prev = best
        dp.append(prev)
        matches.append(match)
    mapping, i, j = {}, len(options), m
    while i > 0:
        if j == 0:
            i -= 1
            continue
        left = dp[i][j - 1]
        skip = dp[i - 1][j] + skips[i - 1]
        v = matches[i - 1].get(j)
        if v is not None and v > max(left, skip):
            mapping[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif skip > left:
            i -= 1
        else:
            j -= 1
    return prev[m], mapping


@dataclass
class RawIndicator:
    name: str
    value: str
    level1: Optional[str]
    level2: Optional[str]
    level1_raw: Optional[str]
    level2_raw: Optional[str]
    period: str
    tok: Tok
    value_type: Optional[str] = None
    direction: Optional[str] = None
    project: Optional[str] = None


@dataclass
class State:
    """Category state per column group (一级 and 二级 printed only on a group's first row)."""

    l1: dict[int, Optional[Label]] = field(default_factory=dict)
    l2: dict[int, Optional[Label]] = field(default_factory=dict)
    period: Optional[str] = None
    project: Optional[str] = None
    # align() results of this table by row shape: rows of one table often look alike
    alignments: dict = field(default_factory=dict)
    # groups whose 一级 is printed on the row being read, until its first 二级: that 二级 does not
    # replace it (效益指标 | 社会成本指标 stays 效益 as printed; KPI204 reports the mismatch), and
    # the groups where that happened (`kept_l1`). A later 二级 in the same row (an empty group
    # run together with the next: 效益指标 | 经济效益指标 | 满意度… ) still starts its own 一级.
    printed_l1: set = field(default_factory=set)
    kept_l1: set = field(default_factory=set)

    def set_label(self, label: Label, group: int, groups: list[int]) -> None:
        if label.level == 1:
            for g in groups:
                self.l1[g] = label
                self.l2[g] = None
                self.printed_l1.add(g)
        else:
            self.l2[group] = label
            cur = self.l1.get(group)
            if group in self.printed_l1 and cur is not None:
                self.printed_l1.discard(group)
                self.kept_l1.add(group)
                return
            self.kept_l1.discard(group)
            if label.parent and label.canonical != "成本" and (cur is None or cur.canonical != label.parent):
                self.l1[group] = Label(1, label.parent, None, "")
            elif label.canonical == "成本" and cur is None:
                self.l1[group] = Label(1, "产出", None, "")


def clean_name(text: str) -> str:
    return _NAME_PREFIX.sub("", text.strip()).strip()


def join_value(parts: list[str]) -> str:
    return "".join(p.strip() for p in parts if p and p.strip())


def read_row(cells: list[Cell], slots: list[Slot], state: State, weight: float) -> list[RawIndicator]:
    groups = sorted({s.group for s in slots}) or [0]
    state.printed_l1.clear()
    state.kept_l1.clear()
    for c in cells:
        if c.kind == "period":
            state.period = period_of(c.tok.text)
    real = [c for c in cells if c.kind not in ("blank", "period")]
    if not real:
        return []
    mapping = align(real, slots, weight, state.alignments)
    if any(c.kind == "period" for c in cells) and not any(c.kind == "label" for c in real):
        return []  # '长期目标2: | 做好社保卡的发行和管理工作' is a goal statement, not an indicator
    _label_as_name(real, mapping, slots)
    per_group: dict[int, dict[str, list[Cell]]] = {}
    last_group = groups[0]
    for i, cell in enumerate(real):
        j = mapping.get(i)
        if j is not None:
            slot = slots[j]
            last_group = slot.group
            per_group.setdefault(slot.group, {}).setdefault(slot.role, []).append(cell)
            if slot.role in ("l1", "l2") and cell.label:
                label = cell.label
                cur = state.l1.get(slot.group)
                if label.canonical == "成本" and label.level == 2 and (
                        slot.role == "l1" or (cur is not None and cur.canonical not in ("产出", "成本"))):
                    # the 2021 一级 成本: in the 一级 column, or after 效益/满意度 where the legacy
                    # 产出/成本 二级 cannot stand
                    label = Label(1, "成本", None, label.raw)
                elif slot.role == "l2" and label.level == 1:
                    # '满意度指标 | 满意度指标': an 一级 word printed in the 二级 column
                    sub = {"满意度": "服务对象满意度", "成本": "成本"}.get(label.canonical)
                    if sub:
                        label = Label(2, sub, "满意度" if sub != "成本" else "产出", label.raw)
                state.set_label(label, slot.group, groups)
            elif slot.role == "project":
                state.project = cell.tok.text
        elif cell.kind == "label":
            nxt = next((mapping[k] for k in range(i + 1, len(real)) if k in mapping), None)
            group = slots[nxt].group if nxt is not None else last_group
            state.set_label(cell.label, group, groups)
        elif cell.kind == "comparator":
            nxt = next((mapping[k] for k in range(i + 1, len(real)) if k in mapping), None)
            if nxt is not None and slots[nxt].role == "value":
                per_group.setdefault(slots[nxt].group, {}).setdefault("attr", []).append(cell)
        elif cell.kind == "unit" and i > 0 and mapping.get(i - 1) is not None \
                and slots[mapping[i - 1]].role in ("value", "multi"):
            # a unit printed in the cell after its number with no 计量单位 column ('1100 | 万人':
            # PDF and OCR text split one cell in two)
            per_group.setdefault(slots[mapping[i - 1]].group, {}).setdefault("unit", []).append(cell)
    _value_at_its_column(per_group, slots, groups)
    out = []
    for g in groups:
        roles = per_group.get(g)
        if not roles:
            continue
        ind = _indicator(roles, slots, g, state)
        if ind is not None:
            out.append(ind)
    return out


def _value_at_its_column(per_group: dict[int, dict[str, list[Cell]]], slots: list[Slot], groups: list[int]) -> None:
    """A wide row cut short ('设备使用情况 | 使用率高' under 产出 三级/指标值, 效益 三级/指标值 …):
    a text value looks like a name and the matching puts it in the next group's name slot. When
    that cell sits exactly in this group's 指标值 column and neither group has a value, it is this
    group's value."""
    for g, g2 in zip(groups, groups[1:]):
        here, there = per_group.get(g), per_group.get(g2)
        if not here or not there or "name" not in here or "value" in here or "value" in there:
            continue
        col = next((s.col for s in slots if s.group == g and s.role == "value"), None)
        moved = [c for c in there.get("name", []) if c.tok.idx == col]
        if col is None or not moved:
            continue
        here["value"] = moved
        there["name"] = [c for c in there["name"] if c not in moved]
        if not there["name"]:
            del there["name"]


def _label_as_name(real: list[Cell], mapping: dict[int, int], slots: list[Slot]) -> None:
    """'成本指标 | 社会成本指标 | 100 | %': a group with a value but no name takes its last label as
    the name; a 成本指标 left in the 一级 slot then reads as the legacy 二级 under 产出."""
    groups = {slots[j].group for j in mapping.values()}
    for g in groups:
        idx = [i for i, j in mapping.items() if slots[j].group == g]
        roles = {slots[mapping[i]].role for i in idx}
        if "name" in roles or not roles & {"value", "multi"}:
            continue
        first_value = min(i for i in idx if slots[mapping[i]].role in ("value", "multi"))
        labels = [i for i in range(first_value) if real[i].kind == "label"
                  and (i not in mapping or slots[mapping[i]].group == g)]
        if not labels:
            continue
        last = labels[-1]
        name_slot = next((k for k, s in enumerate(slots) if s.group == g and s.role == "name"), None)
        if name_slot is None:
            continue
        real[last] = Cell(real[last].tok, "name", None, 0.0)
        mapping[last] = name_slot
        for i in labels[:-1]:
            lab = real[i].label
            if i in mapping and slots[mapping[i]].role == "l1" and lab.canonical == "成本":
                l2 = next((k for k, s in enumerate(slots) if s.group == g and s.role == "l2"), None)
                real[i] = Cell(real[i].tok, "label", Label(2, "成本", "产出", lab.raw))
                if l2 is not None:
                    mapping[i] = l2


def _indicator(roles: dict[str, list[Cell]], slots: list[Slot], group: int, state: State) -> Optional[RawIndicator]:
    name_cells = roles.get("name", [])
    value_cells = roles.get("value", [])
    multi = roles.get("multi", [])
    name = clean_name(" ".join(c.tok.text for c in name_cells)) if name_cells else ""
    comparator = "".join(c.tok.text for c in roles.get("attr", []) if c.kind == "comparator")
    direction = next((c.tok.text for c in roles.get("attr", []) if c.kind == "direction"), None)
    vtype = next((c.tok.text for c in roles.get("attr", []) if c.kind == "value_type"), None)
    unit = join_value([c.tok.text for c in roles.get("unit", [])])
    if multi and not value_cells:
        value = "/".join(c.tok.text for c in multi)
    else:
        value = join_value([c.tok.text for c in value_cells])
    if value:
        value = comparator + value + unit
    if not name and value and C.cjk_count(value) >= 2:
        head, tail = C.split_name_value(value)
        if tail:
            name, value = head, tail
        elif C.value_score(value) < 2:
            name, value = value, ""
    if not name:
        return None
    if not value:
        head, tail = C.split_name_value(name)
        if tail and C.cjk_count(name) > 2:
            pass  # keep the printed name; the value is inside it (matched by the joined text)
        if C.cjk_count(name) < 4 and not tail:
            return None
    if C.is_stop(name) or _IGNORE.match(simplify(name)):
        return None
    slot_l1 = next((s.level1 for s in slots if s.group == group and s.level1), None)
    slot_period = next((s.period for s in slots if s.group == group and s.period), None)
    l1 = state.l1.get(group)
    l2 = state.l2.get(group)
    level1 = slot_l1 or (l1.canonical if l1 else None)
    if l2 is not None and l2.parent and l2.canonical != "成本" and not slot_l1 and group not in state.kept_l1:
        level1 = l2.parent
    tok = (name_cells or value_cells or multi)[0].tok
    return RawIndicator(
        name=name, value=value, level1=level1,
        level2=l2.canonical if l2 else None,
        level1_raw=(l1.raw if l1 and l1.raw else None) if not slot_l1 else slot_l1 + "指标",
        level2_raw=l2.raw if l2 else None,
        period=slot_period or state.period or "annual",
        tok=tok, value_type=vtype, direction=direction, project=state.project,
    )
