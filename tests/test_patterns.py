"""Patterns compiled once per machine (`kpicheck.patterns`, `kpicheck.diskcache`): the same
pattern objects as `re.compile`, whatever the state of the cache."""
from __future__ import annotations

import importlib
import marshal
import os
import pkgutil
import re
import subprocess
import sys

import pytest

import kpicheck
from kpicheck import diskcache, patterns


def _kpicheck_patterns() -> list[re.Pattern]:
    found = []
    for info in pkgutil.walk_packages(kpicheck.__path__, "kpicheck."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional reader's library is missing
            continue
        found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


def test_every_module_pattern_is_what_re_compile_makes():
    found = _kpicheck_patterns()
    assert len(found) > 150
    for p in found:  # Pattern equality: the same pattern text, flags and byte code
        assert p == re.compile(p.pattern, p.flags), p.pattern
        assert p.groupindex == re.compile(p.pattern, p.flags).groupindex


SAMPLES = [
    (r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)", 0, "预算≤57.2万元"),
    (r"^满意度.*?(?:≥|不低于)\s*(\d+)%$", re.M, "指标\n满意度不低于95%"),
    (r"[一二三四五六七八九十]+", re.I, "第十二条"),
]


@pytest.mark.parametrize("pattern, flags, text", SAMPLES)
def test_from_the_cache_or_fresh_a_pattern_matches_as_re_does(pattern, flags, text, monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    store = diskcache.Store("patterns-test")
    monkeypatch.setattr(patterns, "_STORE", store)
    fresh = patterns.compile(pattern, flags)
    assert (pattern, int(flags)) in store.entries and store.added
    cached = patterns.compile(pattern, flags)  # rebuilt from the stored byte code
    expected = re.compile(pattern, flags)
    for p in (fresh, cached):
        assert p == expected and p.groupindex == expected.groupindex
        assert [m.groups() for m in p.finditer(text)] == [m.groups() for m in expected.finditer(text)]
    store.save()
    reloaded = diskcache.Store("patterns-test")
    assert reloaded.get((pattern, int(flags))) == store.entries[(pattern, int(flags))]


def test_a_damaged_entry_is_compiled_afresh_and_a_bad_pattern_still_raises(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    store = diskcache.Store("patterns-test")
    monkeypatch.setattr(patterns, "_STORE", store)
    store.put((r"a+b", 0), (32, [1, 2, 3], 0, {}, (None,)))  # not valid byte code
    assert patterns.compile(r"a+b") == re.compile(r"a+b")
    with pytest.raises(re.error):
        patterns.compile(r"(unclosed")


def test_a_damaged_file_is_ignored_and_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    path = diskcache.Store("patterns-test").path()
    assert path.name == f"patterns-test-v{diskcache.FORMAT}.marshal"
    path.write_bytes(b"\x00not marshal at all")
    store = diskcache.Store("patterns-test")
    assert store.get(("x", 0)) is None
    store.put(("x", 0), (32, [1], 0, {}, (None,)))
    store.save()
    data = path.read_bytes()
    assert marshal.loads(data[diskcache._DIGEST:]) == {("x", 0): (32, [1], 0, {}, (None,))}
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    assert diskcache.Store("patterns-test").get(("x", 0)) == (32, [1], 0, {}, (None,))
    # Content that still unmarshals but is not what was written (the code word 1 became 2):
    # the checksum does not match, so nothing is read from the file.
    path.write_bytes(data[:diskcache._DIGEST] + marshal.dumps({("x", 0): (32, [2], 0, {}, (None,))}))
    assert diskcache.Store("patterns-test").get(("x", 0)) is None


def test_no_cache_when_turned_off_or_unwritable(monkeypatch, tmp_path):
    monkeypatch.setenv("KPICHECK_NO_CACHE", "1")
    assert diskcache.cache_dir() is None
    store = diskcache.Store("patterns-test")
    store.put(("y", 0), 1)
    store.save()  # nowhere to write: nothing happens
    monkeypatch.delenv("KPICHECK_NO_CACHE")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(blocked / "cache"))
    store = diskcache.Store("patterns-test")
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


def _cache_after_import(tmp_path, seed: str) -> dict:
    env = dict(os.environ, KPICHECK_CACHE_DIR=str(tmp_path), PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-c", "import kpicheck.cli, kpicheck.rules"], env=env, check=True)
    (path,) = tmp_path.glob("patterns-*.marshal")
    return marshal.loads(path.read_bytes()[diskcache._DIGEST:])


def test_the_same_patterns_whatever_the_hash_seed_and_a_warm_cache_is_not_rewritten(tmp_path):
    """Patterns built from word sets must come out in one order, or every run would miss."""
    first = _cache_after_import(tmp_path / "a", "1")
    assert len(first) > 150
    assert set(_cache_after_import(tmp_path / "b", "2")) == set(first)
    (path,) = (tmp_path / "a").glob("patterns-*.marshal")
    before = path.stat().st_mtime_ns
    assert _cache_after_import(tmp_path / "a", "3") == first
    assert path.stat().st_mtime_ns == before  # nothing new: not written again
