"""kpicheck: a linter for the performance targets (绩效目标) in Chinese public-budget documents.

The library API (`check_text`, `check_file`, `check_tables`, ...) lives in `kpicheck.api` and is
imported on first use: `import kpicheck.models` (or the command line) does not pay for what it
does not touch, and the command line can pause the cyclic GC over its own imports
(`kpicheck.__main__`).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "check_file",
    "check_indicators",
    "check_tables",
    "check_text",
    "extract_file",
    "extract_tables",
    "extract_text",
]

if TYPE_CHECKING:  # pragma: no cover
    from kpicheck.api import (check_file, check_indicators, check_tables, check_text, extract_file,
                              extract_tables, extract_text)


def __getattr__(name: str) -> Any:
    """The API functions, and submodules by attribute (`kpicheck.models`), imported on first use."""
    if name in __all__:
        value = getattr(importlib.import_module("kpicheck.api"), name)
    else:
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
