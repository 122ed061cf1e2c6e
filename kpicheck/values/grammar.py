"""The lexicons (`units`, `comparators`, `values`) compiled into regular expressions, once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from kpicheck import lexicons, patterns

DIMENSIONS = ("money", "percent", "count", "time", "area", "length", "weight", "volume",
              "score", "other")
CN_DIGITS = "零〇一二两三四五六七八九十"
CN_NUMERAL_CHARS = CN_DIGITS + "百千万亿"


@dataclass(frozen=True)
class UnitInfo:
    canonical: str
    dimension: str
    problem: str | None = None  # "nonstandard"
    suggestion: str | None = None


def _alternation(words, latin_guard: bool = True) -> str:
    """Longest first (then in code-point order: the same pattern text in every process, which
    `patterns` caches by); a Latin word must not run on into more Latin letters (80M, not 80MB)."""
    parts = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        p = re.escape(w)
        if latin_guard and w[-1].isascii() and w[-1].isalpha():
            p += r"(?![A-Za-z])"
        parts.append(p)
    return "|".join(parts) or r"(?!)"


class Grammar:
    def __init__(self, extra_files: tuple[str, ...] = ()):
        units = lexicons.load("units", extra_files)
        comps = lexicons.load("comparators", extra_files)
        vals = lexicons.load("values", extra_files)

        self.traditional = lexicons.folded_characters(extra_files)
        self.units: dict[str, UnitInfo] = {}
        for dim in DIMENSIONS:
            for printed, canon in units.get(dim, {}).items():
                self.units[printed] = UnitInfo(canon, dim)
        for printed, (dim, suggestion) in units.get("nonstandard", {}).items():
            self.units[printed] = UnitInfo(suggestion, dim, "nonstandard", suggestion)
        self.magnitudes: dict[str, float] = {k: float(v) for k, v in units.get("magnitudes", {}).items()}
        # a bare 万 after a number is a magnitude, not money
        unit_words = [u for u in self.units if u not in self.magnitudes]
        self.unit_token = regex.compile(
            rf"(?P<mag>{_alternation(self.magnitudes)})?(?P<u>{_alternation(unit_words)})"
            rf"|(?P<mag>{_alternation(self.magnitudes)})"
        )

        self.symbols: dict[str, str] = dict(comps.get("symbols", {}))
        self.prefixes: dict[str, str] = dict(comps.get("prefix", {}))
        self.suffixes: dict[str, str] = dict(comps.get("suffix", {}))
        self.neutral_prefixes = set(comps.get("neutral_prefix", []))
        self.symbol_token = patterns.compile(_alternation(self.symbols, latin_guard=False))
        self.symbol_run = patterns.compile(rf"(?:{_alternation(self.symbols, latin_guard=False)})+")
        self.prefix_word = patterns.compile(_alternation(self.prefixes))
        self.suffix_word = patterns.compile(_alternation(self.suffixes))

        grades = vals.get("grades", {}).get("words", [])
        self.grades = set(grades)
        self.binary: dict[str, str] = dict(vals.get("binary", {}).get("words", {}))
        vague = vals.get("vague", {})
        phrases = vague.get("phrases", [])
        self.vague_whole = {p for p in phrases}
        self.vague_phrase = patterns.compile(_alternation([p for p in phrases if len(p) >= 2]))
        adverbs = _alternation(vague.get("adverbs", []))
        verbs = _alternation(vague.get("verbs", []))
        self.vague_verb = patterns.compile(rf"(?:{adverbs})?(?:{verbs})")
        self.judgement_ending = patterns.compile(
            rf"(?:{_alternation(vague.get('judgement_endings', []))})[。.!！]?$")
        # raw regular expressions (a user's may backtrack without end): time-limited searches
        self.placeholder = lexicons.patterns("values", ("placeholders",), "patterns", extra_files)
        time = vals.get("time", {})
        self.deadline_words: dict[str, str] = dict(time.get("deadline_words", {}))
        self.deadline_word = patterns.compile(_alternation(self.deadline_words))
        self.deadline_marker = patterns.compile(
            rf"(?:{_alternation(time.get('deadline_markers', []))})")
        self.cadence = patterns.compile(_alternation(time.get("cadence", [])))


@lru_cache(maxsize=8)
def grammar(extra_files: tuple[str, ...] = ()) -> Grammar:
    return Grammar(extra_files)
