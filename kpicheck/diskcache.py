"""Work that never repeats between runs: derived data kept in the user's cache directory.

A run of `kpicheck check` on one file spends part of its time before the first document on
work whose result is the same every run: parsing the TOML lexicons (~8 ms). Each `Store` keeps such results in one `marshal` file, read once per
process on first use and written back (atomically, at exit) when this run added to it.

Where: `KPICHECK_CACHE_DIR`, else the platform's cache directory (`$XDG_CACHE_HOME/kpicheck`,
`~/.cache/kpicheck`, `~/Library/Caches/kpicheck`, `%LOCALAPPDATA%\\kpicheck\\Cache`).
`KPICHECK_NO_CACHE=1` turns it off. A cache that cannot be read or written only costs the time
it would have saved: never an error, never a different answer (keys hold everything the value
depends on; a file whose checksum does not match its content, damaged on disk, is ignored and
replaced).
"""
from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Hashable, Optional

MAX_ENTRIES = 4096  # past this, a store keeps only what this run used (user patterns churn)
FORMAT = 1  # in every file name: a kpicheck that stores other values uses other files
_DIGEST = 16
_STORES: list["Store"] = []


def cache_dir() -> Optional[Path]:
    if os.environ.get("KPICHECK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    given = os.environ.get("KPICHECK_CACHE_DIR", "").strip()
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "kpicheck" / "Cache" if base else None
    if sys.platform == "darwin":
        try:
            return Path.home() / "Library" / "Caches" / "kpicheck"
        except (RuntimeError, KeyError, OSError):
            return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if os.path.isabs(base):  # a relative one is to be ignored (XDG Base Directory specification)
        return Path(base) / "kpicheck"
    try:
        return Path.home() / ".cache" / "kpicheck"
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry (container, arbitrary uid)
        return None


class Store:
    """One marshal file of `key -> value` (both marshal-able). `name` should say what the
    values depend on beyond their keys (the Python version for compiled patterns)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.entries: Optional[dict] = None  # loaded on first use
        self.added = False
        self.used: set = set()
        self.pid = os.getpid()
        _STORES.append(self)

    def get(self, key: Hashable) -> Any:
        entries = self._load()
        value = entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` (if marshal can write it: a TOML date cannot; then it is not kept)."""
        try:
            marshal.dumps(value)
        except ValueError:
            return
        entries = self._load()
        entries[key] = value
        self.used.add(key)
        if not self.added:
            self.added = True
            atexit.register(self.save)

    def path(self) -> Optional[Path]:
        directory = cache_dir()
        return directory / f"{self.name}-v{FORMAT}.marshal" if directory else None

    def _load(self) -> dict:
        if self.entries is None:
            self.entries = {}
            path = self.path()
            if path is not None:
                try:
                    with open(path, "rb") as fh:
                        data = fh.read()  # whole: marshal.load(fh) would read it piecemeal
                    digest, payload = data[:_DIGEST], data[_DIGEST:]
                    if digest == _checksum(payload):
                        loaded = marshal.loads(payload)
                        if isinstance(loaded, dict):
                            self.entries = loaded
                except (OSError, EOFError, ValueError, TypeError):
                    pass  # none yet, or unreadable: rebuilt as this run goes
        return self.entries

    def save(self) -> None:
        """Write the store if this run added to it: to a temporary file, then renamed over the
        old one (a reader sees the old file or the new, never half of one). Only the process
        that loaded it writes (a forked worker that exits normally does not)."""
        path = self.path()
        if not self.added or path is None or os.getpid() != self.pid or self.entries is None:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        try:
            payload = marshal.dumps(entries)
            data = _checksum(payload) + payload
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{self.name}-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            pass  # read-only home, full disk, an unmarshallable value: next run compiles again
        self.added = False


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_DIGEST).digest()


def save_all() -> None:
    """Save every store this run added to (what `atexit` does; for an exit that skips it)."""
    for store in _STORES:
        store.save()
