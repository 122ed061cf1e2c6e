"""The NLP stack, loaded lazily and once per process: jieba with a compact domain dictionary,
and spaCy's blank Chinese pipeline that segments with it.

Why not jieba's default dictionary: it is 20 MB and takes ~0.5 s to load here, and the
classifier only needs the domain's words to cut indicator names at the right places (预决算 is
not 预算; 持有率 ends in 率). The compact dictionary is `lexicons/domain_words.txt` plus every cue
word of the lexicons, handed in by the caller; unknown stretches are still grouped by jieba's
HMM. The jieba `Tokenizer` is private to kpicheck, so an application that uses jieba itself is
not affected.

Why a custom spaCy tokenizer: `spacy.blank("zh")` with `segmenter = "jieba"` would call the
global jieba (default dictionary); ours wraps the private jieba `Tokenizer` instead and gives
spaCy a `Doc` with the same tokens, so PhraseMatcher/Matcher patterns see domain words.

Everything heavy is imported inside the loaders; `import kpicheck.nlp` costs nothing. spaCy
is an extra (`pip install 'kpicheck[spacy]'`): kpicheck reads and classifies the same without
it, and a trained spaCy category model did no better than the head-word reading (README,
"Speed and the NLP stack").
"""
from __future__ import annotations

import functools
import io
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Callable, Iterable

from kpicheck.lexicons import lexicon_dir

if TYPE_CHECKING:  # pragma: no cover
    import jieba
    from spacy.language import Language

DOMAIN_WORDS = "domain_words.txt"
_WORD_FREQ = 1000  # the same weight for every domain word: longer words win by having fewer cuts
# "fast" by default: it gives the same matches as spaCy (tests compare them on every gold name)
# without `import spacy` (~0.45 s here), which the cold-start budget of 1 s cannot afford.
DEFAULT_ENGINE = "fast"
_lock = threading.RLock()
_loaded: dict[tuple, object] = {}


def _once(key: tuple, build):
    """Build `key` once per process, even when several threads ask at the same time."""
    try:
        return _loaded[key]
    except KeyError:
        pass
    with _lock:
        if key not in _loaded:
            _loaded[key] = build()
        return _loaded[key]


def _dictionary_bytes(extra_words: Iterable[str]) -> bytes:
    """The compact dictionary in jieba's format (`word freq [tag]` per line)."""
    lines: list[str] = []
    seen: set[str] = set()
    path = lexicon_dir() / DOMAIN_WORDS
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts and not parts[0].startswith("#") and parts[0] not in seen:
                seen.add(parts[0])
                freq = parts[1] if len(parts) > 1 and parts[1].isdigit() else str(_WORD_FREQ)
                lines.append(" ".join([parts[0], freq, *parts[2:3]]))
    for word in extra_words:
        word = word.strip()
        if word and " " not in word and word not in seen:
            seen.add(word)
            lines.append(f"{word} {_WORD_FREQ}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def segmenter(extra_words: tuple[str, ...] = ()) -> "jieba.Tokenizer":
    """A private jieba Tokenizer over the compact dictionary (plus `extra_words`)."""
    return _once(("segmenter", extra_words), lambda: _build_segmenter(extra_words))


def _import_jieba():
    """Import jieba without `pkg_resources` (~80 ms here, more under load): jieba only uses it
    to open its own data files and falls back to a plain open() when it is missing."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _build_segmenter(extra_words: tuple[str, ...]) -> "jieba.Tokenizer":
    jieba = _import_jieba()

    logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" chatter
    tokenizer = jieba.Tokenizer()
    # Fill the prefix dictionary directly: no 20 MB default file, no cache file in /tmp.
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(io.BytesIO(_dictionary_bytes(extra_words)))
    tokenizer.initialized = True
    return tokenizer


class JiebaDomainTokenizer:
    """A spaCy tokenizer that cuts with kpicheck's private jieba Tokenizer."""

    def __init__(self, vocab, tokenizer: "jieba.Tokenizer"):
        self.vocab = vocab
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        words = [w for w in self.tokenizer.cut(text, HMM=True) if w]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


def pipeline(extra_words: tuple[str, ...] = ()) -> "Language":
    """`spacy.blank("zh")` whose tokenizer is the domain jieba segmenter. Loaded once."""
    return _once(("pipeline", extra_words), lambda: _build_pipeline(extra_words))


SPACY_MISSING = ("the spaCy engine needs spaCy, which kpicheck does not install by default: "
                 "pip install 'kpicheck[spacy]'")


def spacy_installed() -> bool:
    """spaCy can be imported (the `spacy` extra), found without importing it (~0.45 s)."""
    import importlib.util

    try:
        return importlib.util.find_spec("spacy") is not None
    except (ImportError, ValueError):  # a broken or stubbed `spacy` entry in sys.modules
        return False


def _build_pipeline(extra_words: tuple[str, ...]) -> "Language":
    try:
        import spacy
    except ImportError as exc:
        raise ImportError(SPACY_MISSING) from exc

    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaDomainTokenizer(nlp.vocab, segmenter(extra_words))
    return nlp


def cut(text: str, extra_words: tuple[str, ...] = ()) -> list[str]:
    """Segment `text` with the domain dictionary (no spaCy needed)."""
    return cutter(extra_words)(text)


def cutter(extra_words: tuple[str, ...] = ()) -> Callable[[str], list[str]]:
    """`cut` for one vocabulary, to keep: the non-empty words of jieba's Tokenizer.cut."""
    tokenizer = segmenter(extra_words)
    return lambda text: [w for w in tokenizer.cut(text, HMM=True) if w]


ENGINES = ("spacy", "fast")


@functools.lru_cache(maxsize=None)
def engine() -> str:
    """Which matcher reads indicator names: "spacy" (PhraseMatcher/Matcher over a spaCy Doc)
    or "fast" (the same lexicon matches over jieba tokens in plain Python, no spaCy import).
    Set with the environment variable KPICHECK_NLP_ENGINE, read once per process (os.environ
    costs ~5 µs a look-up, paid on every new name). "spacy" without spaCy installed (it is the
    extra `kpicheck[spacy]`) says so once on stderr and reads with "fast": the same matches."""
    value = os.environ.get("KPICHECK_NLP_ENGINE", DEFAULT_ENGINE).strip().lower()
    if value not in ENGINES:
        return DEFAULT_ENGINE
    if value == "spacy" and not spacy_installed():
        print(f"kpicheck: KPICHECK_NLP_ENGINE=spacy ignored: {SPACY_MISSING}", file=sys.stderr)
        return DEFAULT_ENGINE
    return value
