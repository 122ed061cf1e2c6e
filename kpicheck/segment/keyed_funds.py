"""Funds blocks printed as keys and amounts, not as a table.

The 区域 self-evaluation (中央对地方转移支付区域绩效自评表) and its provincial variants print the
funds as two keyed columns side by side, which text extraction interleaves row by row:

    预算数:  2.38        执行数:  2.38
    其中：中央补助 2.38万元   其中：中央补助 2.38万元
    地方资金/其他 万元        地方资金/其他 万元

or run together: '年度金额(提前下达):208万元资金使用情况(万元)合计:109.8万元中央财政165万元
中央财政84.5万元省级财政43万元省级财政25.3万元'. The target form prints the first column only
('年度金额(万元): 397  其中:中央补助(万元) 397  地方资金(万元)').

A block is a run of keyed columns, each key with its amount: 年初预算数 (funds_initial), then
全年预算数 / 预算数 (funds_adjusted, [funds] budget_keys of the headers lexicon), then optionally a
spending key (funds_executed, [funds] executed_keys); then source rows: a funds row label
([funds] rows) with its amounts or a bare unit (blank). A source printed whole ('财政拨款 100 120
110') fills the columns in order; printed once per column, it fills the next column each time.
The total row is the standard form's 年度资金总额; each figure keeps the position it was printed
at. The parse's tabular funds blocks come first: a project takes
this reading only when it has none."""
from __future__ import annotations

from bisect import bisect_right
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.models import Funds, FundsRow, Position
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.assemble import position_of
from kpicheck.segment.atoms import Atom
from kpicheck.segment.labels import simplify

# What may follow a key before its amount: '(万元)', '(A)', '(提前下达)', ':', '合计:'. The budget
# key of a keyed block ends at its colon ('预算数:', '年度金额(万元)：'): what tells a key from the
# same words in a table heading or in prose.
_BRACKETS = r"\s*(?:[(（][^()（）\d]{0,6}[)）]\s*)*"
_TOTAL_WORD = r"\s*(?:(?:合计|总计|小计)\s*[:：]?\s*)?"
_AFTER_KEY = _BRACKETS + "[:：]?" + _TOTAL_WORD
_COLON_KEY = _BRACKETS + "[:：]" + _TOTAL_WORD
_AMOUNT = patterns.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)?")
_BLANK_UNIT = patterns.compile(r"(?:[(（]\s*)?(万元|元)(?:\s*[)）])?")
# A bare weight after the spending ('执行数: 2.38  20'): skipped, not read.
_BARE_WEIGHT = patterns.compile(r"\s*\d{1,3}(?!\d|\.\d|\s*万?元)")
_KEY_TAIL = patterns.compile(_AFTER_KEY)
_SPACES = patterns.compile(r"\s*")
_SOURCE_PREFIX = patterns.compile(r"\s*(?:其中\s*[:：]?\s*)?")
# A source label runs to the next digit, space, colon or bracket ('中央财政165万元').
_SOURCE_TEXT = patterns.compile(r"[^\s\d:：()（）]{2,12}")
_GAP = 16  # characters allowed between the budget's amount and the spending key
_REACH = 40  # atoms a block may span from its budget key's colon
_MAX_SOURCES = 8
_UNIT_REACH = 40  # characters before the first key where the block's unit may be stated ('资金情况(万元)')


@lexicons.reading_cache
def _keys() -> tuple:
    """(budget key pattern, spending key pattern, 年初 key pattern), each word followed by what may
    sit before the amount."""
    data = lexicons.for_reading("headers")
    roles, funds = data.get("roles", {}), data.get("funds", {})

    def pattern(words: list[str], tail: str):
        words = sorted(set(words), key=len, reverse=True) or ["(?!)"]
        return patterns.compile("(?:" + "|".join(f"(?:{w})" for w in words) + ")" + tail)

    initial = roles.get("funds_initial", [])
    budget = initial + roles.get("funds_adjusted", []) + funds.get("budget_keys", [])
    spent = roles.get("funds_executed", []) + funds.get("executed_keys", [])
    return pattern(budget, _COLON_KEY), pattern(spent, _AFTER_KEY), pattern(initial, "")


class _Text:
    """The atoms outside tables, simplified and joined by spaces, with a way back to each atom."""

    def __init__(self, atoms: list[Atom], skip: bytearray, lo: int, hi: int) -> None:
        parts, self.starts, self.index = [], [], []
        at = 0
        for k in range(lo, hi):
            a = atoms[k]
            if skip[k] or not a.text:
                continue
            t = simplify(a.text)
            parts.append(t)
            self.starts.append(at)
            self.index.append(k)
            at += len(t) + 1
        self.text = " ".join(parts)
        self.atoms = atoms

    def position(self, offset: int) -> Position:
        i = bisect_right(self.starts, offset) - 1
        atom = self.atoms[self.index[i]]
        pos = position_of(atom)
        within = offset - self.starts[i]
        if atom.pos is None and within and len(simplify(atom.text)) == len(atom.text):
            return Position(line=atom.line, column=atom.column + within)
        return pos

    def atom(self, offset: int) -> int:
        """The index in the document of the atom the text's `offset` falls in."""
        return self.index[bisect_right(self.starts, offset) - 1]

    def line(self, offset: int) -> int:
        return self.atoms[self.atom(offset)].line


def _amount(text: str, at: int) -> Optional[tuple[str, Optional[str], int, int]]:
    """(number, unit, start, end) of the amount at `at`."""
    m = _AMOUNT.match(text, at)
    if m is None:
        return None
    return m.group(1).replace(",", "").replace("，", ""), m.group(2), m.start(), m.end()


def _sources(text: str, at: int, width: int) -> tuple[list[tuple[str, list[tuple], int]], int]:
    """(label, its amounts (up to `width`, one per keyed column), label offset) of the source rows
    from `at`, in printed order, and where they end."""
    out: list[tuple[str, list[tuple], int]] = []
    while len(out) < 2 * _MAX_SOURCES:
        m = _SOURCE_PREFIX.match(text, at)
        at = m.end()
        label = _SOURCE_TEXT.match(text, at)
        if label is None or R.funds_label_score(label.group()) <= 0 or C.is_total_label(label.group()):
            break
        k = _KEY_TAIL.match(text, label.end()).end()
        amounts = []
        while len(amounts) < width:
            amount = _amount(text, k)
            if amount is None:
                break
            amounts.append(amount)
            k = _SPACES.match(text, amount[3]).end()
        if amounts:
            at = amounts[-1][3]
        else:
            blank = _BLANK_UNIT.match(text, k)
            at = blank.end() if blank else k
        out.append((label.group(), amounts, label.start()))
    return out, at


def _block(found: _Text, budget_key) -> Optional[tuple[int, Funds, int]]:
    """(line, block, end offset in the text) of the block whose budget key is `budget_key`: the
    keyed columns (年初预算数, then 全年预算数 or 预算数, then 执行数), each key with its amount,
    then the source rows."""
    text = found.text
    budget_keys, spent_key, initial_key = _keys()
    columns: list[tuple[str, tuple]] = []  # (FundsRow field, amount)
    key = budget_key
    while True:
        amount = _amount(text, key.end())
        if amount is None:
            break
        field = "initial" if initial_key.match(key.group()) and not columns else "adjusted"
        if field in {f for f, _ in columns}:
            break
        columns.append((field, amount))
        nxt = budget_keys.match(text, _SPACES.match(text, amount[3]).end())
        if nxt is None or field == "adjusted":
            break
        key = nxt  # '年初预算数：100 全年预算数：120'
    if not columns:
        return None
    at = columns[-1][1][3]
    spent = None
    for m in spent_key.finditer(text, at, min(len(text), at + _GAP + 40)):
        if m.start() - at <= _GAP and not text[at:m.start()].strip(" (（万元)）"):
            spent = _amount(text, m.end())
        break
    if spent is not None:
        columns.append(("executed", spent))
        at = spent[3]
        weight = _BARE_WEIGHT.match(text, at)
        if weight:
            at = weight.end()
    sources, at = _sources(text, at, len(columns))
    if spent is None and not sources:
        return None  # a budget stated in prose: the project's budget, not a funds block
    budget = columns[0][1]
    unit = budget[1] or (spent[1] if spent else None) or next((a[1] for _, amounts, _ in sources for a in amounts if a[1]), None)
    if unit is None:
        head = text[max(0, budget_key.start() - _UNIT_REACH):budget_key.end()]
        unit = "万元" if "万元" in head else ("元" if "(元)" in head or "（元）" in head else None)
    total = FundsRow(label="年度资金总额", pos=found.position(budget_key.start()))
    for field, amount in columns:
        _put(total, field, amount, found)
    rows = [total]
    by_label: dict[str, tuple[FundsRow, int]] = {}  # label → (row, columns filled)
    for label, amounts, offset in sources:
        row, filled = by_label.get(label, (None, 0))
        if row is None:
            row = FundsRow(label=label, pos=found.position(offset))
            rows.append(row)
        # a row printed whole ('财政拨款 100 120 110') fills the columns in order; a row printed
        # once per column ('中央财政165万元 … 中央财政84.5万元') fills the next one each time
        for amount in amounts:
            if filled < len(columns):
                _put(row, columns[filled][0], amount, found)
            filled += 1
        if not amounts:
            filled += 1
        by_label[label] = (row, filled)
    return found.line(budget_key.start()), Funds(unit=unit, rows=rows, pos=total.pos), at


def _put(row: FundsRow, key: str, amount: tuple, found: _Text) -> None:
    setattr(row, key, amount[0])
    row.positions[key] = found.position(amount[2])


def read(atoms: list[Atom], skip: bytearray) -> list[tuple[int, Funds]]:
    """(line, block) of every keyed funds block outside the atoms marked in `skip` (tables read).

    A key ends at its colon: only the atoms that hold one are looked at, with the two before
    them (a key printed apart from its colon); the block is then read on from there."""
    budget_key = _keys()[0]
    out = []
    free = 0  # atoms before this one belong to a block read already
    for k in [k for k, a in enumerate(atoms) if ":" in a.text or "：" in a.text]:
        if k < free or skip[k]:
            continue
        lo = max(free, k - 2)
        near = " ".join(atoms[j].text for j in range(lo, k + 1) if not skip[j])
        if budget_key.search(simplify(near)) is None:
            continue  # the usual case: a colon with no funds key before it
        found = _Text(atoms, skip, lo, min(len(atoms), k + _REACH))
        at = 0
        while True:
            m = budget_key.search(found.text, at)
            if m is None or found.atom(m.end() - 1) > k:
                break  # a key further on is met from its own colon
            block = _block(found, m)
            at = m.end()
            if block is not None:
                out.append(block[:2])
                free, at = found.atom(block[2] - 1) + 1, block[2]
        free = max(free, k + 1)
    return out
