"""spaCy is an extra (`kpicheck[spacy]`): kpicheck works without it, and where it is installed
its engine reads every gold indicator name exactly as the default engine does.

CI installs the extra (`.ci/run`: `.[all,spacy,test]`) and must run the spaCy tests: with CI
set, a missing spaCy fails them instead of skipping them (`.ci/wheel-smoke` checks the default
install, without spaCy).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpicheck import nlp
from kpicheck.classify import read_name

REPO = Path(__file__).resolve().parents[1]
SHARED_GOLD = [REPO.parent / "shared" / "gold", Path("/work/shared/gold")]
# Kept to measure kpicheck on documents nobody tuned on (benchmarks/README.md): not read here.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())

needs_spacy = pytest.mark.skipif(not nlp.spacy_installed() and not os.environ.get("CI"),
                                 reason="spaCy is the extra kpicheck[spacy]; CI installs it")


def assert_engines_agree(name: str) -> None:
    """The spaCy engine and the fast one read `name` alike: tokens, head and cues."""
    slow, fast = read_name(name, (), "spacy"), read_name(name, (), "fast")
    assert slow.tokens == fast.tokens, name
    assert slow.head == fast.head, name
    assert sorted(map(repr, slow.l1_cues)) == sorted(map(repr, fast.l1_cues)), name
    assert sorted(map(repr, slow.l2_cues)) == sorted(map(repr, fast.l2_cues)), name


def gold_names() -> list[str]:
    gold = next((g for g in SHARED_GOLD if g.is_dir()), None)
    if gold is None:
        return []
    names: set[str] = set()
    for path in sorted(gold.rglob("*.json")):
        if path.stem in SET_ASIDE:
            continue
        for ind in json.loads(path.read_text(encoding="utf-8")).get("indicators", []):
            if ind.get("name"):
                names.add(ind["name"])
    return sorted(names)


@needs_spacy
def test_both_engines_read_every_gold_name_identically():
    names = gold_names()
    if not names:
        pytest.skip("no shared gold beside the checkout")
    assert len(names) > 300
    for name in names:
        assert_engines_agree(name)


def test_asking_for_spacy_without_it_says_so_and_reads_with_the_default_engine(monkeypatch, capsys):
    monkeypatch.setenv("KPICHECK_NLP_ENGINE", "spacy")
    monkeypatch.setattr(nlp, "spacy_installed", lambda: False)
    nlp.engine.cache_clear()
    try:
        assert nlp.engine() == "fast"
    finally:
        nlp.engine.cache_clear()
    err = capsys.readouterr().err
    assert "KPICHECK_NLP_ENGINE=spacy" in err and "kpicheck[spacy]" in err


def test_the_spacy_pipeline_without_spacy_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now fails
    with pytest.raises(ImportError, match=r"kpicheck\[spacy\]"):
        nlp.pipeline(("只为缺少spaCy的测试",))


def test_check_never_imports_spacy():
    """The default install has no spaCy: checking a document must not need it, even when the
    spaCy engine is asked for (the same matches are read without it)."""
    seed = sorted((REPO / "seeds").glob("*.txt"))[0]
    code = ("import sys; sys.modules['spacy'] = None\n"  # any `import spacy` would fail
            "from kpicheck.cli import main\n"
            f"sys.argv = ['kpicheck', 'check', '--format', 'json', {str(seed)!r}]\n"
            "main()\n")
    runs = {}
    for engine in ("fast", "spacy"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={**os.environ, "KPICHECK_NLP_ENGINE": engine}, timeout=300)
        assert out.returncode in (0, 1), out.stderr
        runs[engine] = json.loads(out.stdout)
        assert runs[engine]["summary"]["indicators"] > 0
    assert "kpicheck[spacy]" in out.stderr  # the spaCy run said why it read without spaCy
    assert runs["spacy"]["summary"] == runs["fast"]["summary"]
