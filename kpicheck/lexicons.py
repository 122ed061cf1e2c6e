"""Word lists as data: load the TOML files in `lexicons/`, merged with a user's own files.

A lexicon is a TOML file `lexicons/<name>.toml`. A user's extra file (config `lexicons = [...]`)
may contain tables named after any lexicon, e.g. `[values.vague] phrases = ["有所改善"]`; lists are
appended, scalars replaced. Loaded once per process and per set of extra files.

A few keys hold regular expressions rather than words (`PATTERN_KEYS`). A user's pattern may be
pathological (`(a+)+$`), so every lexicon pattern is compiled with `regex` and matched with a time
limit: a pattern that times out is skipped for that text, with a `PatternTimeoutWarning`, and
retired for the rest of the process after a few timeouts. `validate_files` checks a user's files
up front (the config does), so a broken pattern is a config error naming file and pattern.
"""
from __future__ import annotations

import hashlib
import re
import sys
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from kpicheck import diskcache


def lexicon_dir() -> Path:
    """The shipped lexicons: inside the installed package, or at the top of a checkout."""
    installed = Path(__file__).parent / "lexicons"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "lexicons"


def available() -> list[str]:
    return sorted(p.stem for p in lexicon_dir().glob("*.toml"))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# Parsed TOML kept between runs (`diskcache`), by path, modification time and size: parsing the
# shipped lexicons with tomllib takes ~8 ms of a cold start, reading them back well under 1 ms.
_PARSED = diskcache.Store(f"lexicons-{sys.hexversion:x}")


@lru_cache(maxsize=None)
def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        raw = fh.read()
    key = hashlib.blake2b(raw, digest_size=16).digest()  # the content itself: mtime and size can repeat
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = tomllib.loads(raw.decode())  # what tomllib.load does with the bytes
        _PARSED.put(key, parsed)
    return parsed


@lru_cache(maxsize=None)
def load(name: str, extra_files: tuple[str, ...] = ()) -> dict[str, Any]:
    """The lexicon `name`, with the tables of the same name from each extra file merged in."""
    path = lexicon_dir() / f"{name}.toml"
    data = _read(str(path)) if path.exists() else {}
    for extra in extra_files:
        data = _merge(data, _read(extra).get(name, {}))
    return data


def folded_characters(extra_files: tuple[str, ...] = (), numerals: bool = False) -> dict[str, str]:
    """Traditional → simplified, one character for one (`characters.toml` [fold]), and with
    `numerals` the capital numerals of financial writing (壹 → 一) too: the one table every
    stage folds text with before it matches a word list."""
    data = load("characters", extra_files).get("fold", {})
    entries = list(data.get("traditional", [])) + (list(data.get("numerals", [])) if numerals else [])
    return {pair[0]: pair[1] for entry in entries for pair in str(entry).split() if len(pair) == 2}


# ---------------------------------------------------------------- patterns

# (lexicon, table path, key) of every list whose entries are regular expressions.
PATTERN_KEYS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "boilerplate": ((("inputs",), "budget_compliance"), (("categories",), "timeliness_names"),
                    (("measurability",), "slogan_patterns")),
    "values": ((("placeholders",), "patterns"), (("qualitative",), "levels"), (("qualitative",), "zero_events")),
}
# A search may take MATCH_TIMEOUT_S plus PER_CHAR_TIMEOUT_S per character of the text: sane
# patterns need microseconds on a name, a few ms on a 1 MB cell; a runaway one is cut off.
MATCH_TIMEOUT_S = 0.1
PER_CHAR_TIMEOUT_S = 1e-6
MAX_TIMEOUTS = 3  # different texts (a value is parsed once); then retired for the rest of the process
# The shipped patterns are stress-tested against backtracking (tests/test_robustness_regex.py)
# and run unlimited: a time limit would make kpicheck's answer depend on how busy the machine
# is (a long line searched under load would lose a match another run finds). A user's
# patterns, never stress-tested, are always limited.


class LexiconError(ValueError):
    """A user's lexicon file that cannot be used (bad TOML, a pattern that does not compile)."""


class PatternTimeoutWarning(UserWarning):
    """A lexicon pattern ran out of time on a text and was skipped for it."""


class SafePattern:
    """A compiled lexicon pattern whose `search` gives up after a time limit (then: None)."""

    __slots__ = ("compiled", "pattern", "path", "where", "shipped", "timeouts", "retired", "_lock")

    def __init__(self, pattern: str, path: str, where: str, shipped: bool = False):
        self.pattern = pattern
        self.shipped = shipped
        self.path = path  # the lexicon file
        self.where = where  # "[boilerplate.measurability] slogan_patterns"
        try:
            self.compiled = regex.compile(pattern)
        except (regex.error, TypeError, ValueError) as exc:
            raise LexiconError(f"{self.origin} 中的正则 {pattern!r} 无效: {exc}") from None
        self.timeouts = 0
        self.retired = False
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        return f"词表 {self.path} {self.where}"

    def search(self, text: str) -> Optional[regex.Match]:
        if self.retired:
            return None
        if self.shipped:
            return self.compiled.search(text)
        try:
            return self.compiled.search(text, timeout=MATCH_TIMEOUT_S + len(text) * PER_CHAR_TIMEOUT_S)
        except TimeoutError:
            self._timed_out(text)
            return None

    def _timed_out(self, text: str) -> None:
        with self._lock:
            self.timeouts += 1
            count = self.timeouts
            self.retired = count >= MAX_TIMEOUTS
        snippet = text[:20] + ("…" if len(text) > 20 else "")
        if count == 1:
            message = (f"{self.where} 中的正则 {self.pattern!r} 匹配超时，已跳过该文本"
                       f"（“{snippet}”，{len(text)} 字）；请简化该正则")
        elif count == MAX_TIMEOUTS:
            message = f"{self.where} 中的正则 {self.pattern!r} 已超时 {count} 次，本次运行不再使用"
        else:
            return
        # Reported at the pattern's line in its lexicon file, as a compiler would; shown on
        # stderr by Python's default warning filter, once per message.
        warnings.warn_explicit(PatternTimeoutWarning(message), PatternTimeoutWarning,
                               self.path, self._line(), module="kpicheck.lexicons")

    def _line(self) -> int:
        """The line of the lexicon file that holds the pattern (else its key), or 0."""
        try:
            lines = Path(self.path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 0
        key = self.where.rsplit(" ", 1)[-1]
        for needle in (self.pattern, key):
            for n, line in enumerate(lines, start=1):
                if needle in line:
                    return n
        return 0

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r}, {self.origin!r})"


class PatternSet:
    """The patterns of one lexicon key. The shipped ones are joined into one alternation (one
    search, not one per pattern); each user pattern stays on its own, so a timeout names it."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[SafePattern, ...]):
        self.parts = parts

    def __iter__(self) -> Iterator[SafePattern]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    def search(self, text: str) -> Optional[regex.Match]:
        """The leftmost match of any pattern (the first pattern's on a tie), or None."""
        best = None
        for part in self.parts:
            m = part.search(text)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


_GROUP_REFERENCE = regex.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?&|\(\?[1-9R]")


def _at(data: Any, table: tuple[str, ...], key: str) -> Any:
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    return data.get(key, []) if isinstance(data, dict) else []


def _where(name: str, table: tuple[str, ...], key: str, shipped: bool) -> str:
    """How a key is written in the file: `[measurability] slogan_patterns` in the shipped
    boilerplate.toml, `[boilerplate.measurability] slogan_patterns` in a user's file."""
    return f"[{'.'.join(table if shipped else (name, *table))}] {key}"


def _user_patterns(path: str, name: str, table: tuple[str, ...], key: str) -> list[str]:
    value = _at(_read(path).get(name, {}), table, key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"词表 {path} {_where(name, table, key, False)} 必须是正则表达式字符串的列表")
    return value


@lru_cache(maxsize=None)
def patterns(name: str, table: tuple[str, ...], key: str, extra_files: tuple[str, ...] = ()) -> PatternSet:
    """The regular expressions at `[table] key` of lexicon `name`, the user's after the shipped."""
    path = lexicon_dir() / f"{name}.toml"
    shipped = list(_at(_read(str(path)), table, key)) if path.exists() else []
    parts: list[SafePattern] = []
    if shipped:
        where = _where(name, table, key, True)
        if len(shipped) > 1 and not any(_GROUP_REFERENCE.search(p) for p in shipped):
            parts.append(SafePattern("|".join(f"(?:{p})" for p in shipped), str(path), where, shipped=True))
        else:
            parts += [SafePattern(p, str(path), where, shipped=True) for p in shipped]
    seen = set(shipped)
    for extra in extra_files:
        for p in _user_patterns(extra, name, table, key):
            if p not in seen:
                seen.add(p)
                parts.append(SafePattern(p, extra, _where(name, table, key, False)))
    return PatternSet(tuple(parts))


@lru_cache(maxsize=None)
def validate_file(path: str) -> None:
    """Raise LexiconError unless the user's lexicon file reads and its patterns compile."""
    try:
        data = _read(path)
    except FileNotFoundError:
        raise LexiconError(f"找不到词表文件 {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"词表 {path}: TOML 语法错误: {exc}") from None
    except OSError as exc:
        raise LexiconError(f"词表 {path}: 无法读取: {exc.strerror or exc}") from None
    names = available()
    for name, tables in data.items():  # a misplaced table would otherwise do nothing, silently
        if name not in names:
            raise LexiconError(f"词表 {path}: 未知的词表 [{name}]（应为 {', '.join(names)} 之一，"
                               f"如 [values.vague]）")
        if not isinstance(tables, dict):
            raise LexiconError(f"词表 {path}: {name} 必须是表（[{name}.…]）")
        known = _read(str(lexicon_dir() / f"{name}.toml"))
        for table in tables:
            if table not in known:
                raise LexiconError(f"词表 {path}: [{name}] 中没有 '{table}'（可用: {', '.join(known)}）")
    for name, keys in PATTERN_KEYS.items():
        for table, key in keys:
            for p in _user_patterns(path, name, table, key):
                SafePattern(p, path, _where(name, table, key, False))
    _validate_reading_patterns(path, data.get("headers", {}))


def _validate_reading_patterns(path: str, headers: dict, where: str = "headers") -> None:
    """The header lexicon's lists are regular expressions (each joined into the parser's
    patterns): one that does not compile is a config error, not a crash mid-document."""
    for key, value in headers.items():
        if isinstance(value, dict):
            _validate_reading_patterns(path, value, f"{where}.{key}")
        elif isinstance(value, list):
            for p in value:
                try:
                    re.compile(str(p))
                except re.error as exc:
                    raise LexiconError(f"词表 {path} [{where}] {key} 中的正则 {p!r} 无效: {exc}") from None


# ---------------------------------------------------------------- the reader's lexicons

# The user's lexicon files the reader and parser use (headers, labels, names): set once per run
# by the pipeline (`use_for_reading`). The parser's patterns are built from them once and kept
# (`reading_cache`); a run with other files rebuilds them and forgets what the text caches knew.
_reading: tuple[str, ...] = ()
_reading_caches: list = []


def reading_cache(fn: Callable) -> Callable:
    """`lru_cache` for what the reader builds from its lexicons, emptied when the files change."""
    cached = lru_cache(maxsize=None)(fn)
    _reading_caches.append(cached)
    return cached


def use_for_reading(extra_files: tuple[str, ...] | list[str]) -> None:
    global _reading
    files = tuple(str(f) for f in extra_files)
    if files == _reading:
        return
    _reading = files
    for cached in _reading_caches:
        cached.cache_clear()
    from kpicheck import textcache

    textcache.clear()


def reading_files() -> tuple[str, ...]:
    """The user's lexicon files the parser reads with in this run."""
    return _reading


def for_reading(name: str) -> dict[str, Any]:
    """The lexicon `name` as the reader uses it: shipped, merged with the run's user files."""
    return load(name, _reading)


def validate_files(paths: tuple[str, ...] | list[str]) -> None:
    for path in paths:
        validate_file(str(path))
