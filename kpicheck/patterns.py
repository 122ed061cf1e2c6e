"""One place where kpicheck compiles its regular expressions.

`patterns.compile(pattern, flags)` is `re.compile`: kpicheck's patterns are built once, at
import or on first use (`functools.lru_cache` around the lexicon loaders), and `re` keeps its
own cache for the rest. Kept as a module so a reader finds where patterns are made, and so a
change of engine (the `regex` package for a pattern that needs it) is made in one place.
"""
from __future__ import annotations

import re


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - re.compile's twin
    return re.compile(pattern, int(flags))
