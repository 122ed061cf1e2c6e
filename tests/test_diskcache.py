"""The user-cache store (`kpicheck.diskcache`, parsed lexicons between runs): a cache that
cannot be read or written only costs time, never an error, never a different answer."""
from __future__ import annotations

import marshal
import sys

from kpicheck import diskcache, lexicons


def test_a_store_keeps_values_between_runs(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    store = diskcache.Store("store-test")
    store.put(("key", 1), {"words": ["满意度", "及时率"]})
    store.put(("date", 2), object())  # marshal cannot write it: not kept, no error
    store.save()
    again = diskcache.Store("store-test")
    assert again.get(("key", 1)) == {"words": ["满意度", "及时率"]}
    assert again.get(("date", 2)) is None


def test_parsed_lexicons_from_the_cache_are_what_the_files_say(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    fresh = lexicons.load("headers")
    assert fresh["roles"] and fresh["fragments"]["words"]
    diskcache.save_all()
    assert lexicons.load("headers") == fresh


def test_a_damaged_file_is_ignored_and_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    path = diskcache.Store("store-test").path()
    assert path.name == f"store-test-v{diskcache.FORMAT}.marshal"
    path.write_bytes(b"\x00not marshal at all")
    store = diskcache.Store("store-test")
    assert store.get(("x", 0)) is None
    store.put(("x", 0), (32, [1], 0, {}, (None,)))
    store.save()
    data = path.read_bytes()
    assert marshal.loads(data[diskcache._DIGEST:]) == {("x", 0): (32, [1], 0, {}, (None,))}
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    assert diskcache.Store("store-test").get(("x", 0)) == (32, [1], 0, {}, (None,))
    # Content that still unmarshals but is not what was written (the code word 1 became 2):
    # the checksum does not match, so nothing is read from the file.
    path.write_bytes(data[:diskcache._DIGEST] + marshal.dumps({("x", 0): (32, [2], 0, {}, (None,))}))
    assert diskcache.Store("store-test").get(("x", 0)) is None


def test_no_cache_when_turned_off_or_unwritable(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_NO_CACHE", "1")
    assert diskcache.cache_dir() is None
    store = diskcache.Store("store-test")
    store.put(("y", 0), 1)
    store.save()  # nowhere to write: nothing happens
    monkeypatch.delenv("KPICHECK_NO_CACHE")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(blocked / "cache"))
    store = diskcache.Store("store-test")
    store.put(("y", 0), 1)
    store.save()  # cannot make the directory: no error
    assert blocked.read_text() == "not a directory"


def test_default_directory_follows_the_platform_conventions(monkeypatch, tmp_path):
    monkeypatch.delenv("KPICHECK_CACHE_DIR", raising=False)
    monkeypatch.delenv("KPICHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert diskcache.cache_dir() == tmp_path / "kpicheck"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path))
    assert diskcache.cache_dir() == tmp_path / ".cache" / "kpicheck"

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(diskcache.Path, "home", staticmethod(no_home))  # a container's arbitrary uid
    assert diskcache.cache_dir() is None
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert diskcache.cache_dir() == tmp_path / "kpicheck" / "Cache"
