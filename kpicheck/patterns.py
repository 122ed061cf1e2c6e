"""Regular expressions compiled once per machine, not once per run.

`patterns.compile(pattern, flags)` is `re.compile`. What `re.compile` costs is parsing the
pattern and generating its byte code, in Python: ~150 µs a pattern, ~30 ms for kpicheck's ~200,
a seventh of a cold start. The byte code is kept in a `diskcache.Store` named after this
interpreter's regular-expression engine, and the pattern is rebuilt from it by `_sre.compile`,
which validates the code before accepting it; a rebuilt pattern compares equal to what
`re.compile` makes (the same pattern, flags and code). A cache entry that does not load is
compiled afresh; where the interpreter lacks these internals (another implementation, a
future CPython), this is `re.compile`.
"""
from __future__ import annotations

import re
import sys

from kpicheck import diskcache

try:
    import _sre

    if sys.version_info >= (3, 11):
        from re import _compiler as _sre_compiler
        from re import _parser as _sre_parser
    else:  # pragma: no cover
        import sre_compile as _sre_compiler
        import sre_parse as _sre_parser
    _generate, _parse, _build = _sre_compiler._code, _sre_parser.parse, _sre.compile
    _STORE = diskcache.Store(f"patterns-{sys.implementation.name}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}")
except (ImportError, AttributeError):  # pragma: no cover - not CPython's engine
    _STORE = None


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - re.compile's twin
    flags = int(flags)
    if _STORE is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = _STORE.get(key)
    if entry is not None:
        try:
            return _build(pattern, *entry)
        except Exception:  # noqa: BLE001 - a damaged entry: compiled afresh below
            pass
    try:
        entry = _byte_code(pattern, flags)
        compiled = _build(pattern, *entry)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals not as expected: the public way
        return re.compile(pattern, flags)
    _STORE.put(key, entry)
    return compiled


def _byte_code(pattern: str, flags: int) -> tuple:
    """What `re._compiler.compile` hands `_sre.compile`, in plain ints (marshal-able)."""
    tree = _parse(pattern, flags)
    code = _generate(tree, flags)
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | tree.state.flags), [int(c) for c in code], tree.state.groups - 1, groupindex, tuple(indexgroup)
