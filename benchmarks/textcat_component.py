"""A trained second opinion on an indicator's 一级/二级 category: a small spaCy text classifier.

Tried for issue 16 (item 6) and NOT shipped: cross-validated by document it did no better than
the head-word reading of `kpicheck.classify` and cost a cold start 2.6 times as long (figures in
benchmarks/README.md, "A trained category model"). It stays here, with `textcat_train.py` and
`textcat_eval.py`, so the comparison can be repeated on any gold (the set-aside documents too).
Needs the extra `kpicheck[spacy]`.

The model is a spaCy `textcat_multilabel` over a bag of n-grams (`spacy.TextCatBOW.v3`: one
linear layer, ~1 MB) on a `spacy.blank("zh")` vocabulary; nothing is downloaded. Its "text" is
a list of feature tokens built from the indicator:

- the name's tokens as the domain jieba segmenter cuts them (`kpicheck.classify.read_name`),
- the head region's last token, its last one and two characters (…费, …人数, …到位率) and its
  character pairs: the structure that lets a word never seen share the weights of words that
  end alike,
- the value's shape as the value parser reads it (dimension, canonical unit, kind) and its
  Chinese characters (满意, 完成, 前), digits dropped,
- the declared 一级 and 一级/二级 (evidence the table gives, as `classify` uses it).

Labels are `L1:产出` … and `L2:数量` …, independent sigmoids; the best of each level is the
model's answer. `combine` is how `classify` would consult it: only where the head-word reading
is unsure, and only to change an answer the model is sure of.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

L1_PREFIX, L2_PREFIX = "L1:", "L2:"
# Hash buckets of the bag of n-grams: ~3,000 distinct features in training, so collisions stay
# rare, and the weights (buckets x labels x 4 bytes) stay near 1 MB.
BOW_LENGTH = 2 ** 14
NGRAM_SIZE = 2

_CJK = re.compile(r"[\u3400-\u9fff]+")
# What ends a name but is not its head: a bracketed gloss or unit, a printed target, punctuation.
_TAIL = re.compile(r"(?:[(（][^()（）]*[)）]|[^\u3400-\u9fff])+$")


def features(tokens: Iterable[str], dimension: Optional[str] = None, unit: Optional[str] = None,
             kind: Optional[str] = None, value: str = "", declared_l1: Optional[str] = None,
             declared_l2: Optional[str] = None) -> list[str]:
    """The feature tokens of one indicator (see the module docstring)."""
    words = [t for t in tokens if t.strip()]
    out = list(words)
    core = _TAIL.sub("", "".join(words))
    if core:
        out += [f"尾1:{core[-1:]}", f"尾2:{core[-2:]}"]
        pos, head = 0, ""
        for word in words:  # the token that holds the core's last character
            pos += len(word)
            head = word
            if pos >= len(core):
                break
        out.append(f"头:{head}")
        # character pairs: the name read across the segmenter's cuts (保障率 and 参保率 share 保率)
        out += [f"字:{core[i:i + 2]}" for i in range(len(core) - 1)]
    out += [f"维:{dimension or '-'}", f"位:{unit or '-'}", f"型:{kind or '-'}"]
    out += [f"值:{ch}" for run in _CJK.findall(value or "") for ch in run]
    out += [f"申:{declared_l1 or '-'}", f"申:{declared_l1 or '-'}/{declared_l2 or '-'}"]
    return out


def blank_pipeline(labels: Iterable[str] = ()):
    """`spacy.blank("zh")` with an untrained `textcat_multilabel` (the training script's start)."""
    import spacy

    nlp = spacy.blank("zh")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
        "ngram_size": NGRAM_SIZE, "no_output_layer": False, "length": BOW_LENGTH}})
    for label in labels:
        textcat.add_label(label)
    return nlp


def make_doc(nlp, feature_tokens: list[str]):
    """A Doc whose tokens are the feature tokens (no tokenizer: they are already cut)."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=feature_tokens or ["-"])


def scores(feature_tokens: list[str], nlp) -> dict[str, float]:
    """The model's probability for every label (`L1:…`, `L2:…`)."""
    doc = make_doc(nlp, feature_tokens)
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    return dict(doc.cats)


def best(cats: dict[str, float], prefix: str, among: Optional[Iterable[str]] = None) -> tuple[str, float]:
    """The most probable label of one level (`L1:` or `L2:`), optionally among some names."""
    allowed = set(among) if among is not None else None
    ranked = sorted(((p, k[len(prefix):]) for k, p in cats.items()
                     if k.startswith(prefix) and (allowed is None or k[len(prefix):] in allowed)),
                    reverse=True)
    return (ranked[0][1], ranked[0][0]) if ranked else ("", 0.0)


# ------------------------------------------------------------------ consulting the model
# Fixed before measuring, not fitted: the head-word reading is "unsure" below this confidence
# (classify's score of the winner over the winner, the runner-up and 1) or when the runner-up
# is this close; the model changes an answer only when it is this sure of another.
UNSURE_CONFIDENCE = 0.6
CLOSE_MARGIN = 1.0
OVERRIDE_PROBABILITY = 0.8


def unsure(confidence: float, scores: dict[str, float]) -> bool:
    """The head-word reading is unsure: a low confidence or a close second score."""
    ranked = sorted(scores.values(), reverse=True)
    margin = ranked[0] - ranked[1] if len(ranked) > 1 else ranked[0] if ranked else 0.0
    return confidence < UNSURE_CONFIDENCE or margin < CLOSE_MARGIN


def combine(category: str, subcategory: str, confidence: float, scores: dict[str, float],
            cats: dict[str, float], children: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """The answer once the model is heard: the head-word reading's (category, subcategory),
    unless the reading is unsure and the model is sure of another 一级 or 二级."""
    if not cats or not unsure(confidence, scores):
        return category, subcategory
    l1, p1 = best(cats, L1_PREFIX)
    if l1 != category and p1 >= OVERRIDE_PROBABILITY:
        category = l1
        subcategory = best(cats, L2_PREFIX, children[l1])[0] or children[l1][0]
        return category, subcategory
    l2, p2 = best(cats, L2_PREFIX, children[category])
    if l2 and l2 != subcategory and p2 >= OVERRIDE_PROBABILITY:
        subcategory = l2
    return category, subcategory
