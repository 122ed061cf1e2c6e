"""Word lists as data: load the TOML files in `lexicons/`, merged with a user's own files.

A lexicon is a TOML file `lexicons/<name>.toml`. A user's extra file (config `lexicons = [...]`)
may contain tables named after any lexicon, e.g. `[vague] phrases = ["有所改善"]`; lists are
appended, scalars replaced. Loaded once per process and per set of extra files.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


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


@lru_cache(maxsize=None)
def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def load(name: str, extra_files: tuple[str, ...] = ()) -> dict[str, Any]:
    """The lexicon `name`, with the tables of the same name from each extra file merged in."""
    path = lexicon_dir() / f"{name}.toml"
    data = _read(str(path)) if path.exists() else {}
    for extra in extra_files:
        data = _merge(data, _read(extra).get(name, {}))
    return data
