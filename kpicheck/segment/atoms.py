"""The document as one stream of atoms, each with the evidence for a boundary before it.

Whatever the layout, a document is a sequence of printed pieces. What separates two pieces is
evidence about whether a cell (or a row) ends between them:

    NONE     nothing: a candidate cut inside a run of characters ('覆盖率100%', '≥10%115.25%')
    SPACE    one space ('养护面 积' is a wrapped cell, '检查差旅费 470' two cells)
    WIDE     two spaces or more, an ideographic space
    COMMA    '，' or ',' (prose items, or a comma inside a long name)
    PUNCT    '；' '。' '：' after a label, brackets such as 【】
    CELL     a hard cell edge: tab, '|', a spreadsheet or Word cell
    NEWLINE  a line break
    BLANK    one or more blank lines

Grid layouts (every cell its own atom, CELL between them) and one-cell-per-line layouts
(NEWLINE between them) are special cases; run-together text gets its candidate cuts from the
recognizers (`roles.glue_cuts`). Every atom keeps its line and column in the source, and the
source cell's position for spreadsheets, Word and parser tables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kpicheck import patterns
from kpicheck.models import Position, SourceDocument
from kpicheck.segment import roles

NONE, SPACE, WIDE, COMMA, PUNCT, CELL, NEWLINE, BLANK = range(8)
GAP_NAMES = ("none", "space", "wide", "comma", "punct", "cell", "newline", "blank")

_STOPS = frozenset("。；;！!？?")  # a colon opens what follows, it ends nothing
_ONLY_PIPES = patterns.compile(r"^[\s|｜]*$")
# What separates the pieces of one cell's text: sentence punctuation and the brackets that wrap
# a label (【产出指标-数量指标】), a colon after a label ('数量指标：'), the '+' some forms print
# between a name and its target, commas, spaces.
_SEPARATOR = patterns.compile(
    r"(?P<punct>[；;。【】〔〕+＋]+|(?<=[标標])\s*[:：])|(?P<comma>[，,]+)|(?P<space>[ \u3000\u00a0\t]+)")
# Where a separator may start. `_SEPARATOR` itself, searched, tries its four branches (and a
# look-behind) at every character (~800 instructions a character); a character class is
# scanned in C at a few instructions a character, and the separator is matched only there.
_SEPARATOR_START = patterns.compile(r"[；;。【】〔〕+＋，,:：\s]")
_MAX_GROUPS = 6  # groups of three a number's thousands may run to (a long run of them: items)


def _separators(text: str):
    """The matches of `_SEPARATOR.finditer(text)`, found from the places one may start."""
    find, match = _SEPARATOR_START.search, _SEPARATOR.match
    c = find(text)
    while c is not None:
        m = match(text, c.start())  # a look-behind sees the text before the start as well
        if m is None:
            c = find(text, c.start() + 1)
        else:
            yield m
            c = find(text, m.end())


@dataclass(slots=True)
class Atom:
    text: str  # as printed, stripped
    line: int  # 1-based line in the source (row number for tables)
    column: int  # 1-based character column in that line
    gap: int  # boundary evidence before this atom (NONE … BLANK)
    cell: int  # index of the hard cell in its line, -1 in a line without cell edges
    pos: Optional[Position] = None  # the source cell's position (xlsx, docx, pdf and parser tables)
    cells: int = 0  # hard cells in its line (0 without cell edges): to align from the right too
    # the text before it ended a sentence (。；：): in prose, a line break after such a text ends
    # an item, a line break anywhere else is a wrapped line
    ended: bool = False


@dataclass(slots=True)
class LineInfo:
    """What a line looks like, for the layout evidence of a region."""

    line: int
    cells: int  # hard cells (1 without edges)
    pieces: int  # atoms before glue cuts
    first_atom: int  # index of its first atom in the stream
    last_atom: int  # one past its last atom


def _groups_digits(text: str, comma: re.Match) -> bool:
    """Whether a comma separates the thousands of one number ('215,457.6', '1,236.74万元'), not
    two items: one ',' followed by three digits, after groups of three back to the number's
    first group of one to three digits (not the decimals of another number: '8.62,100')."""
    start = comma.start()
    if comma.group() != "," or not start or not text[start - 1].isdigit():
        return False
    after = text[start + 1:start + 5]
    if len(after) < 3 or not after[:3].isdigit() or (len(after) == 4 and after[3].isdigit()):
        return False
    k = start
    for _ in range(_MAX_GROUPS):
        j = k
        while j > 0 and k - j < 4 and text[j - 1].isdigit():
            j -= 1
        if not 0 < k - j <= 3:
            return False
        if j == 0 or text[j - 1] != ",":
            return j == 0 or text[j - 1] != "."  # the number's first group
        if k - j != 3:
            return False
        k = j - 1
    return False


def _pieces(text: str, hard: bool) -> list[tuple[str, int, int]]:
    """(piece, offset, gap before it) of one cell's text; the first piece's gap is -1 (the
    cell's own). Runs of single characters spaced out ('产 出 指 标') are joined back. Inside a
    hard cell a comma is part of the text, not a separator of prose items."""
    if _SEPARATOR_START.search(text) is None:  # most cells: one piece
        return [(text, 0, -1)]
    out: list[tuple[str, int, int]] = []
    last, gap = 0, -1
    for m in _separators(text):
        branch = m.lastgroup
        if branch == "comma" and (hard or _groups_digits(text, m)):
            continue
        start = m.start()
        if start > last:
            out.append((text[last:start], last, gap))
            gap = -1
        sep = m.group()
        kind = PUNCT if branch == "punct" else COMMA if branch == "comma" else (
            WIDE if len(sep) >= 2 or "\u3000" in sep else SPACE)
        if kind > gap:
            gap = kind
        last = m.end()
    if last < len(text):
        out.append((text[last:], last, gap))
    return _join_number_and_unit(_join_spaced_letters(out))


def _join_spaced_letters(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'绩 效 指 标' printed with a space between characters: one piece again (three or more
    single characters in a row, single spaces between them). The run's last character may be
    glued to the next cell's text where a table also prints no separators ('产 出 指 标数 量 指
    标新建…' is '产出指标' '数量指标' '新建…' letter-spaced), and its first to the value before it
    ('=100%饲 养 动 物')."""
    if len(pieces) < 3:
        return pieces
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(pieces):
        j, singles = i, 0
        while j < len(pieces) and len(pieces[j][0]) == 1 and roles.is_cjk(pieces[j][0]) and (j == i or pieces[j][2] == SPACE):
            j += 1
            singles += 1
            # a piece glued on after the run, then more single characters: one run
            if (singles >= 2 and j + 1 < len(pieces) and _glued_label(pieces, i, j)
                    and len(pieces[j + 1][0]) == 1 and _spaced_after(pieces, j + 1)):
                j += 1
        if singles >= 3:
            if j < len(pieces) and len(pieces[j][0]) > 1 and _glued_label(pieces, i, j):
                j += 1  # the run's last character glued to what follows it
            text, offset, gap = "".join(p[0] for p in pieces[i:j]), pieces[i][1], pieces[i][2]
            prev = out[-1][0] if out else ""
            if gap == SPACE and len(prev) >= 2 and roles.is_cjk(prev[-1]) and not roles.is_cjk(prev[-2]):
                # '=100%饲 养 动 物': the run's first character is glued to the value before it
                out[-1] = (prev[:-1], out[-1][1], out[-1][2])
                text, offset = prev[-1] + text, offset - 2
            out.append((text, offset, gap))
            i = j
        else:
            out.append(pieces[i])
            i += 1
    return out


def _glued_label(pieces: list[tuple[str, int, int]], i: int, j: int) -> bool:
    """Piece j goes on the letter-spaced run pieces[i:j] after one space, and its first character
    ends a category label the run began ('产 出 指' + '标数…'): a table printed without separators
    glued the label's last character to the next cell. (A cell that merely follows a spaced-out
    name, '申 領' + '批量制卡…', is a cell of its own.)"""
    if not _spaced_after(pieces, j):
        return False
    run = "".join(p[0] for p in pieces[i:j]) + pieces[j][0][0]
    return any(roles.label_of(run[-n:]) is not None for n in range(4, min(len(run), 10) + 1))


def _spaced_after(pieces: list[tuple[str, int, int]], j: int) -> bool:
    """Piece j follows the one before it after one space, Chinese character against Chinese
    character."""
    return pieces[j][2] == SPACE and roles.is_cjk(pieces[j][0][:1]) and roles.is_cjk(pieces[j - 1][0][-1:])


def _join_number_and_unit(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'2021 年', '7 万张', '100 %': a number and its unit torn apart by one space (OCR, PDF
    text) are one piece again."""
    if len(pieces) < 2:
        return pieces
    out = [pieces[0]]
    for piece in pieces[1:]:
        prev = out[-1]
        if piece[2] == SPACE and prev[0][-1:].isdigit() and roles.unit_start(piece[0]):
            out[-1] = (prev[0] + piece[0], prev[1], prev[2])
        else:
            out.append(piece)
    return out


class _Builder:
    def __init__(self) -> None:
        self.atoms: list[Atom] = []
        self.lines: list[LineInfo] = []
        self.pending_gap = NEWLINE
        self.ended = True

    def blank(self) -> None:
        self.pending_gap = BLANK

    def line(self, line_no: int, cells: list[tuple[str, int, Optional[Position]]], hard: bool) -> None:
        """One source line: its cells (text, 1-based column, position); `hard` when the cells
        were separated by cell edges (empty cells are kept then: they hold a column's place)."""
        first = len(self.atoms)
        pieces = 0
        atoms = self.atoms
        ncells = len(cells) if hard else 0
        for idx, (text, col, pos) in enumerate(cells):
            cell_gap = self.pending_gap if idx == 0 else CELL
            if idx == 0:
                self.pending_gap = NEWLINE
            cell = idx if hard else -1
            if not text.strip():
                if hard:
                    atoms.append(Atom("", line_no, col, cell_gap, cell, pos, ncells))
                continue
            if _SEPARATOR_START.search(text) is None and not roles.glue_cuts(text):
                # most cells: one piece, one atom (what the loop below makes of them)
                pieces += 1
                atoms.append(Atom(text, line_no, col, cell_gap, cell, pos, ncells, self.ended))
                self.ended = hard
                continue
            for n, (word, off, gap) in enumerate(_pieces(text, hard)):
                pieces += 1
                cuts = roles.glue_cuts(word)
                for k, (s, e) in enumerate(zip((0,) + cuts, cuts + (len(word),))):
                    g = NONE if k else (max(gap, cell_gap) if n == 0 else gap)
                    # a separator before the piece in its own text ('+达到95%') ends what came before
                    ended = (self.ended or gap >= PUNCT) if (k == 0 and n == 0) else (k == 0 and gap == PUNCT)
                    self.atoms.append(Atom(word[s:e], line_no, col + off + s, g, cell, pos, ended=ended))
                end = off + len(word)
                self.ended = hard or text[end:end + 2].strip()[:1] in _STOPS
        if hard:
            for k in range(first, len(atoms)):
                atoms[k].cells = ncells
        if len(atoms) > first:
            self.lines.append(LineInfo(line_no, len(cells) if hard else 1, pieces, first, len(self.atoms)))


_INLINE_TAG = patterns.compile(r"</?(?:u|b|i|s|em|strong|sup|sub|span|br|p|font)(?:\s[^<>]{0,80})?\s*/?>", re.IGNORECASE)
_HEADING_MARK = patterns.compile(r"\s*#{1,6}\s+(?=\S)")


def _text_line(b: _Builder, raw: str, line_no: int) -> None:
    if "<" in raw:  # a parser's inline markup ('<u> </u>', '<br>'): blanked, columns kept
        raw = _INLINE_TAG.sub(lambda m: " " * len(m.group()), raw)
    stripped = raw.strip()
    if not stripped:
        b.blank()
        return
    if "\t" in raw:
        cells, col = [], 1
        for part in raw.rstrip(" \t\r\u3000").split("\t"):
            cells.append((part, col, None))
            col += len(part) + 1
        b.line(line_no, cells, hard=True)
        return
    if "|" in stripped or "｜" in stripped:
        if _ONLY_PIPES.match(stripped):
            # an empty cell of a one-cell-per-line table, or debris between rows: the parse decides
            b.atoms.append(Atom("", line_no, 1, b.pending_gap, 0, None))
            b.pending_gap = NEWLINE
            return
        parts, col = [], 1
        for part in raw.replace("｜", "|").split("|"):
            parts.append((part, col, None))
            col += len(part) + 1
        if stripped.startswith(("|", "｜")):
            parts = parts[1:]
        while parts and not parts[-1][0].strip():
            parts.pop()
        b.line(line_no, parts, hard=len(parts) > 1)
        return
    mark = _HEADING_MARK.match(raw)
    if mark:  # a parser's markdown heading ('# 第三部分 …'): the marks are markup, not words
        b.line(line_no, [(raw[mark.end():], mark.end() + 1, None)], hard=False)
        return
    b.line(line_no, [(raw, 1, None)], hard=False)


_WRAP_LINES = 3  # how many lines a wrapped cell may push a pipe row over


def _wrapped_pipe_rows(lines: list[str]) -> dict[int, int]:
    """Rows of a pipe table whose cell wraps onto the next line ('|四条专线' / '维护费用|100%|…|'):
    {first line index: last line index}. Only in a document whose pipe rows are closed
    ('|…|…|'): where rows print one '| cell' a line, an open row is the layout itself."""
    starts = [k for k, line in enumerate(lines) if line.lstrip().startswith(("|", "｜"))]
    closed = sum(1 for k in starts if lines[k].rstrip().endswith(("|", "｜")) and
                 sum(1 for cell in lines[k].replace("｜", "|").split("|") if cell.strip()) >= 2)
    if closed < 3 or closed * 2 < len(starts):
        return {}
    out = {}
    for k in starts:
        if lines[k].rstrip().endswith(("|", "｜")):
            continue
        for j in range(k + 1, min(len(lines), k + 1 + _WRAP_LINES)):
            t = lines[j].strip()
            if not t or t.startswith(("|", "｜")):
                break
            if t.endswith(("|", "｜")):
                out[k] = j
                break
    return out


_MIN_VERTICAL = 3


def _vertical_runs(lines: list[str]) -> dict[int, tuple[int, str]]:
    """Words printed down a merged cell, a character a line ('产' / '出' / '指' / '标'):
    {first line index: (last line index, the word)} of each run of three or more such lines that
    spells a label or a heading. Other runs are cells of one character each, printed one a line
    (a unit, a direction, 是/否: '人' / '正' / '是'), and stay apart."""
    out: dict[int, tuple[int, str]] = {}
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and _one_character(lines[j]):
            j += 1
        if j - k >= _MIN_VERTICAL:
            word = "".join(line.strip() for line in lines[k:j])
            if _spells_heading(word):
                out[k] = (j - 1, word)
        k = max(j, k + 1)
    return out


def _spells_heading(word: str) -> bool:
    folded = roles.fold(word)
    return roles.label_of(folded) is not None or roles.header_role(folded) is not None


def _one_character(line: str) -> bool:
    if len(line) > 8:
        return False  # (most lines: no strip)
    t = line.strip()
    return len(t) == 1 and "\u4e00" <= t <= "\u9fff"


def _pipe_row(b: _Builder, physical: list[str], line_no: int) -> None:
    """One pipe row printed over several lines: its cells as if on one line (a wrapped cell's
    pieces joined as a wrap), each cell keeping the line and column it starts at."""
    text, where = "", []  # where[i]: (line, column) of text[i]
    for k, line in enumerate(physical):
        start = 0 if k == 0 else len(line) - len(line.lstrip())
        part = line[start:] if k else line
        if k and text and part and text[-1].isascii() and text[-1].isalpha() and part[0].isascii() \
                and part[0].isalpha():
            text += " "
            where.append((line_no + k, start))
        text += part
        where.extend((line_no + k, start + i + 1) for i in range(len(part)))
    text = text.replace("｜", "|")
    parts, offset = [], 0
    for piece in text.split("|"):
        at = where[min(offset, len(where) - 1)] if where else (line_no, 1)
        parts.append((piece, at[1], Position(line=at[0], column=at[1])))
        offset += len(piece) + 1
    if text.lstrip().startswith("|"):
        parts = parts[1:]
    while parts and not parts[-1][0].strip():
        parts.pop()
    b.line(line_no, parts, hard=len(parts) > 1)


def atomize(doc: SourceDocument) -> tuple[list[Atom], list[LineInfo]]:
    """The atoms of a document, in reading order, and what each line looks like."""
    b = _Builder()
    if doc.format == "text":
        source = doc.text if doc.text else "\n".join(r.cells[0].text if r.cells else "" for r in doc.rows)
        lines = source.split("\n")
        wrapped = _wrapped_pipe_rows(lines)
        vertical = _vertical_runs(lines)
        n = 0
        while n < len(lines):
            last = wrapped.get(n)
            if n in vertical:
                last_line, word = vertical[n]
                _text_line(b, word, n + 1)
                n = last_line
            elif last is None:
                _text_line(b, lines[n].rstrip("\r"), n + 1)
            else:
                _pipe_row(b, [line.rstrip("\r") for line in lines[n:last + 1]], n + 1)
                n = last
            n += 1
        return b.atoms, b.lines
    for n, row in enumerate(doc.rows, start=1):
        # a line break inside a spreadsheet or Word cell is a wrap of that cell
        cells = [("" if c.merged else _one_line(c.text), 1, c.pos) for c in row.cells]
        line_no = row.pos.line or n  # as layout.document_lines numbers them (projects are found there)
        if not any(t.strip() for t, _, _ in cells):
            b.blank()
            continue
        if len(cells) == 1:
            text = cells[0][0]
            if "\t" in text or "|" in text:
                _text_line(b, text, line_no)
            else:
                b.line(line_no, cells, hard=False)
                _set_pos(b, cells[0][2])
            continue
        while cells and not cells[-1][0].strip():
            cells.pop()
        b.line(line_no, cells, hard=True)
    return b.atoms, b.lines


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ") if "\n" in text or "\r" in text else text


def _set_pos(b: _Builder, pos: Optional[Position]) -> None:
    if pos is None:
        return
    for a in reversed(b.atoms):
        if a.pos is not None:
            break
        a.pos = pos
