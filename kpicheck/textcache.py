"""Caches of pure functions of one text (a cell, a name, a value), registered in one place.

Documents repeat their cells, names and values (a header on every page, `≥95%` under many
names), and a batch repeats them across documents, so these functions remember recent answers.
`clear()` empties them all: the benchmarks use it to time a document as if never seen.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

_REGISTRY: list = []


def text_cache(maxsize: int = 8192) -> Callable[[F], F]:
    """`functools.lru_cache(maxsize)`, registered for `clear()`."""
    def wrap(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        _REGISTRY.append(cached)
        return cached  # type: ignore[return-value]
    return wrap


def clear() -> None:
    for cached in _REGISTRY:
        cached.cache_clear()


def registered() -> list[str]:
    return [f"{c.__module__}.{c.__qualname__}" for c in _REGISTRY]
