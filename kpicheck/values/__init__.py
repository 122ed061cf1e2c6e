"""Value parsing: a value text (`≥95%`, `≤57.2万元`, `2023年11月31日`) → `ParsedValue` with spans.

`parse_value` never raises: on any internal failure it returns the text as kind "text".
"""
from __future__ import annotations

from functools import lru_cache

from kpicheck.models import ParsedValue
from kpicheck.textcache import text_cache
from kpicheck.values.grammar import grammar
from kpicheck.values.parse import Parser

__all__ = ["parse_value"]


@lru_cache(maxsize=8)
def _parser(extra_files: tuple[str, ...] = ()) -> Parser:
    return Parser(grammar(extra_files))


def parse_value(text: str, extra_files: tuple[str, ...] = ()) -> ParsedValue:
    """Parse one value text; never raises. `extra_files`: a user's own lexicon files.
    The result is frozen and shared: a table prints `≥95%` or `按时完成` many times."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _parse(text, tuple(extra_files))


@text_cache(4096)  # a text whose user pattern timed out is not searched again either
def _parse(text: str, extra_files: tuple[str, ...]) -> ParsedValue:
    try:
        return _parser(extra_files).parse(text)
    except Exception:  # a parser bug must never stop a whole document
        return ParsedValue(text=text, kind="empty" if not text.strip() else "text")


_parser()  # compile the lexicons once, at import
