"""Category labels (一级/二级): recognise a label cell and fold it to its canonical name.

Labels vary by province and year (产出目标, 效果指标, 社会公众或服务对象满意度指标, 环境效益,
进度指标…) and sometimes come in traditional characters; the stems live in
`lexicons/labels.toml` so they can be extended without code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.charmap import GLOSS, CharMap
from kpicheck.textcache import text_cache

_SCORE_NOTE = patterns.compile(r"[（(][^（）()]{0,20}[）)]\s*分?|\d+\s*分")
_SPACE = patterns.compile(r"[\s\u3000*★☆]+")
_PARENS = patterns.compile(r"（[^（）]*）|\([^()]*\)")


@lexicons.reading_cache
def _data() -> dict:
    return lexicons.for_reading("labels")


@lexicons.reading_cache
def _trad_table() -> dict[int, str]:
    return {ord(k): v for k, v in lexicons.folded_characters(lexicons.reading_files(), numerals=True).items()}


@lexicons.reading_cache
def _to_simplified() -> CharMap:
    return CharMap(_trad_table())


def without_glosses(text: str) -> tuple[str, Optional[list[int]]]:
    """`text` without pinyin glosses (`GLOSS`), and where each of its characters is in `text`,
    with one more for its end (None when there is no gloss)."""
    if ("(" not in text and "（" not in text) or GLOSS.search(text) is None:
        return text, None
    kept, where, last = [], [], 0
    for m in GLOSS.finditer(text):
        kept.append(text[last:m.start()])
        where.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(kept), where


@text_cache(8192)
def simplify(text: str) -> str:
    """Traditional → simplified for the label/header vocabulary, pinyin glosses removed."""
    if not text:
        return text
    if "(" in text or "（" in text:  # most cells have no gloss
        text = GLOSS.sub("", text)
    return _to_simplified()(text)


def normalize(text: str) -> str:
    """Label form of a cell: simplified, no spaces, no score notes ('(0-20)分', '(50分)')."""
    text = simplify(text)
    if "(" in text or "（" in text or "分" in text:
        text = _SCORE_NOTE.sub("", text)
        text = _PARENS.sub("", text)  # 产出指标（预期提供的公共产品或服务）
    if not text.isalnum():  # a space, 　, * or ★ is none: most labels have nothing to remove
        text = _SPACE.sub("", text)
    return text.strip(":：|")


@dataclass(frozen=True)
class Label:
    level: int  # 1 or 2
    canonical: str  # 产出 / 数量 ...
    parent: Optional[str]  # the 一级 a 二级 implies
    raw: str


@lexicons.reading_cache
def _pattern():
    data = _data()
    stems = list(data.get("level1", {})) + list(data.get("level2", {}))
    stems.sort(key=len, reverse=True)
    suffixes = sorted(data.get("suffixes", []), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in stems)
    suf = "|".join(re.escape(s) for s in suffixes)
    full = patterns.compile(rf"(?:{alt})(?:{suf})")
    prefix = patterns.compile(rf"(?:{alt})(?:{suf})")
    return full, prefix


def _lookup(stem: str, raw: str, prefer: int) -> Optional[Label]:
    data = _data()
    l1 = data.get("level1", {}).get(stem)
    l2 = data.get("level2", {}).get(stem)
    if l1 and l2:  # 成本指标: 一级 (2023 template) or legacy 二级 under 产出
        return Label(prefer, l1 if prefer == 1 else l2, "产出" if prefer == 2 else None, raw)
    if l1:
        return Label(1, l1, None, raw)
    if l2:
        return Label(2, l2, data.get("level2_parent", {}).get(l2), raw)
    return None


@lexicons.reading_cache
def _stems() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(suffixes longest first, every stem, the stems that may stand bare)."""
    data = _data()
    suffixes = tuple(sorted(data.get("suffixes", []), key=len, reverse=True))
    return suffixes, frozenset(data.get("level1", {})) | frozenset(data.get("level2", {})), frozenset(data.get("bare_ok", []))


def _split_stem(norm: str) -> Optional[str]:
    suffixes, stems, bare = _stems()
    for suffix in suffixes:
        if norm.endswith(suffix):
            stem = norm[: -len(suffix)]
            if stem in stems:
                return stem
    if norm in bare:
        return norm
    return None


@text_cache(8192)
def parse_label(text: str, prefer: int = 2) -> Optional[Label]:
    """The label a whole cell states, or None. `prefer` settles 成本指标 (1 = 一级)."""
    if not text or len(text) > 40:
        return None
    norm = normalize(text)
    if not norm or len(norm) > 16:
        return None
    stem = _split_stem(norm)
    if stem is None:
        return None
    return _lookup(stem, text.strip(), prefer)


def leading_labels(text: str) -> tuple[list[Label], str]:
    """Labels run together at the start of a flat cell: '产出指标数量指标覆盖率100%' → ([产出, 数量], '覆盖率100%')."""
    found: list[Label] = []
    _, prefix = _pattern()
    rest = text
    while True:
        stripped = rest.lstrip(" \u3000:：,，、|")
        probe = simplify(stripped)
        m = prefix.match(probe)
        if not m:
            return found, stripped
        label = parse_label(m.group(0))
        if label is None:
            return found, stripped
        found.append(label)
        rest = stripped[len(m.group(0)):]  # simplify keeps length for single chars, not glosses
        rest = rest.lstrip("：:")


def fold_level1(text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    label = parse_label(text, prefer=1)
    if label is None:
        return None
    return label.canonical if label.level == 1 else label.parent


def fold_level2(text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    label = parse_label(text, prefer=2)
    return label.canonical if label and label.level == 2 else None
