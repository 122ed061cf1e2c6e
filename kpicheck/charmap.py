"""`str.translate` for tables that most texts never touch (traditional → simplified), and the
pinyin glosses some mirrors print after converted characters.

`translate` looks every character up in a dict, ~3 µs on a 50-character cell, and runs on every
cell, name and value several times; a search for any of the table's characters is ~15x cheaper,
and finds none in nearly every mainland document.
"""
from __future__ import annotations

import re

from kpicheck import patterns

# A pinyin gloss a document-sharing mirror prints after a character it converted ('績(jī)效目標(biāo)'):
# a syllable with a tone mark in parentheses, right after a Chinese character ('(A)', '(km)' are
# no glosses). One pattern for every stage: the parser looks through it, the rules and the
# classifier compare names without it.
GLOSS = patterns.compile(r"(?<=[\u4e00-\u9fff])[(（](?=[a-zɑü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zɑüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,8}[)）]")


class CharMap:
    __slots__ = ("table", "_keys")

    def __init__(self, table: dict[int, str]):
        self.table = table
        self._keys = patterns.compile("[" + "".join(re.escape(chr(k)) for k in table) + "]") if table else None

    def __call__(self, text: str) -> str:
        if self._keys is None or self._keys.search(text) is None:
            return text
        return text.translate(self.table)
