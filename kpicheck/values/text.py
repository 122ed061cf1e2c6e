"""Character folding with an offset map, so patterns run on clean text and spans stay exact.

Folding is one character to at most one character: full-width → half-width (NFKC when it yields
one character), traditional → simplified (`lexicons/characters.toml`), whitespace dropped except
between two ASCII letters/digits, pinyin annotations such as `應(yīng)` dropped. `index[i]` is the
position in the original text of folded character `i`.
"""
from __future__ import annotations

import unicodedata

from kpicheck import patterns
from kpicheck.textcache import text_cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# `(yīng)`, `(wù)`: pinyin added by some converters after each traditional character.
_PINYIN = patterns.compile(rf"\((?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,8}}\)")
_SPACE_RUN = patterns.compile(r"\s+")
# A value that stops on a number or a comparator ('>=9' for '>=90%'): the text may have been cut
# off there (the reader's `truncated`, the rules' `cut_off`).
STOPS_MID_VALUE = patterns.compile(r"[\d.．≥≤<>=＞＜＝]$")
# OCR debris that never means anything in a target value ('1100 \$', '1100 🔅计'): backslashes,
# dollar signs, emoji and pictographs. Dropped like spaces, so '1100 \$余万人' reads 1100余万人.
DEBRIS = patterns.compile(r"[\\$\U0001F000-\U0001FAFF\u2600-\u26FF\u2700-\u27BF]+")
# in a folded text: something fold drops (or turns into one space)
_SPACE_OR_DEBRIS = patterns.compile(rf"\s|{DEBRIS.pattern}")
_DASHES = {"—": "-", "–": "-", "－": "-", "〜": "~", "～": "~", "／": "/", "・": "·", "•": "·"}


class Folded:
    __slots__ = ("text", "index", "original")

    def __init__(self, original: str, text: str, index: list[int] | None):
        self.original = original
        self.text = text
        self.index = index

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of folded [start, end)."""
        if self.index is None:  # nothing dropped: positions are the same
            return start, max(start, end)
        if end <= start:
            pos = self.index[start] if start < len(self.index) else len(self.original)
            return pos, pos
        return self.index[start], self.index[end - 1] + 1

    def slice(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


@text_cache(4096)
def _fold_char(ch: str) -> str:
    mapped = _DASHES.get(ch)
    if mapped:
        return mapped
    norm = unicodedata.normalize("NFKC", ch)
    return norm if len(norm) == 1 else ch


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class _FoldTable(dict):
    """str.translate table: one character to one, computed once per character seen."""

    def __init__(self, traditional: dict[str, str]):
        super().__init__({ord(k): v for k, v in traditional.items()})

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = ch if code < 128 else _fold_char(ch)
        self[code] = value
        return value


_TABLES: dict[int, _FoldTable] = {}


def fold(text: str, traditional: dict[str, str]) -> Folded:
    table = _TABLES.get(id(traditional))
    if table is None:
        table = _TABLES[id(traditional)] = _FoldTable(traditional)
    folded = text.translate(table)
    if "(" not in text and not _SPACE_OR_DEBRIS.search(folded):
        return Folded(text, folded, None)
    return _fold_slow(text, folded)


def _fold_slow(text: str, folded: str) -> Folded:
    """`folded`: `text` translated character for character; here what is dropped is dropped."""
    removed = bytearray(len(text))
    if "(" in text:
        for m in _PINYIN.finditer(text):
            removed[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in DEBRIS.finditer(text):
        removed[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _SPACE_RUN.finditer(text):
        a, b = m.start(), m.end()
        removed[a:b] = b"\x01" * (b - a)
        # a run of spaces between two ASCII letters/digits stays as one space (44,561 44,561)
        if a > 0 and b < len(text) and _is_ascii_alnum(_fold_char(text[a - 1])) \
                and _is_ascii_alnum(_fold_char(text[b])):
            removed[a] = 2
    out: list[str] = []
    index: list[int] = []
    for i, flag in enumerate(removed):
        if flag == 1:
            continue
        out.append(" " if flag == 2 else folded[i])
        index.append(i)
    return Folded(text, "".join(out), index)
