"""Classification: decide each indicator's 一级/二级 category from its own words and value.

A reviewer reads an indicator by what it measures, whatever the table declares: 持卡人满意度 filed
under 社会效益 is satisfaction, 维护硬件软件设备需用资金 under 产出 is money. So every category
gets a score from weighted cues (`lexicons/categories.toml`):

- the declared 一级/二级 (evidence, not the answer; a legacy 产出/成本 row is money);
- the HEAD of the name: Chinese noun phrases end in their head (持有**率**, 鉴定**人数**,
  需用**资金**), so head words weigh most; words such as 情况/时间/率 are transparent and the
  head is what precedes them (资金到位**时间** is about 资金到位);
- cue words anywhere in the name, matched on token boundaries of the domain jieba
  segmentation (预算 does not fire inside 预决算), and structural patterns (资金…到位, 受益…人数).
  Two engines find these matches (`kpicheck.nlp.engine()`, env KPICHECK_NLP_ENGINE): "spacy",
  a spaCy PhraseMatcher and Matcher over a `spacy.blank("zh")` Doc, and "fast" (default), the
  same lookups in plain Python over the jieba tokens, which spares the ~0.45 s `import spacy`;
  tests check that both read every name alike;
- the value: its unit (万元 → money), 满意 in it, a date or deadline (→ 产出/时效), 不超预算.

When the words are neutral the declared category wins (ties go to it); when they clearly
contradict it (satisfaction, money), the words win.

Helpers for other modules (KPI2 rules):
- `classify_text(name, value, parsed, declared_l1, declared_l2, lexicon_files)` → `Classification`
- `read_name(name)` → `NameReading` (normalised text, tokens, head, cues), cached per name
- `is_satisfaction(name)`: the name itself speaks of satisfaction (满意度/满意率/…满意)
- `is_money(name, parsed=None, value="")`: the indicator measures money (资金, 经费, 工资, …费,
  资金到位率, or a 元/万元 value on a name that is not a benefit such as 收入/产值)
- `PARENT`: 二级 → 一级 (legacy 成本 → 产出)
"""
from __future__ import annotations

import re
import threading
from typing import NamedTuple, Optional

from kpicheck import lexicons, nlp, patterns
from kpicheck.charmap import GLOSS, CharMap
from kpicheck.models import Indicator, ParsedValue
from kpicheck.textcache import text_cache

LEVEL1 = ("产出", "效益", "满意度", "成本")
CHILDREN: dict[str, tuple[str, ...]] = {
    "产出": ("数量", "质量", "时效"),
    "效益": ("经济效益", "社会效益", "生态效益", "可持续影响"),
    "满意度": ("服务对象满意度",),
    "成本": ("经济成本", "社会成本", "生态环境成本"),
}
PARENT: dict[str, str] = {l2: l1 for l1, l2s in CHILDREN.items() for l2 in l2s}
PARENT["成本"] = "产出"  # the legacy 二级 成本指标 sits under 产出

# ------------------------------------------------------------------ results
# NamedTuples: immutable, with a dataclass's repr, and half the cost of a frozen dataclass to
# make (a document makes hundreds of cues, and a reading per name and indicator).


class Cue(NamedTuple):
    """One piece of evidence: which category it votes for, how much, and a readable label."""

    category: str
    weight: float
    label: str  # "head:满意度", "word:资金", "pattern:budget-management(资金到位)", "unit:万元"


class NameReading(NamedTuple):
    """What the name says on its own (cached per distinct name)."""

    text: str  # normalised (simplified characters, no pinyin glosses, no spaces)
    tokens: tuple[str, ...]
    head: str  # the head word(s) the classifier settled on ("" when none)
    trailer: str  # a target printed at the end of the name (`…通畅率100%`, `设备购置19.6万`)
    l1_cues: tuple[Cue, ...]
    l2_cues: tuple[Cue, ...]

    def votes(self, category: str) -> float:
        return sum(c.weight for c in self.l1_cues if c.category == category)


class Classification(NamedTuple):
    category: str
    subcategory: str
    cues: tuple[str, ...]
    confidence: float
    scores: dict[str, float]


# ------------------------------------------------------------------ the compiled lexicon


class _Lexicon:
    """categories.toml compiled once: weights, tables, and the spaCy matchers."""

    def __init__(self, extra_files: tuple[str, ...]):
        data = lexicons.load("categories", extra_files)
        self.w = {k: v for k, v in data.get("weights", {}).items()}
        self.transparent = set(data.get("head", {}).get("transparent", []))
        l1 = data.get("l1", {})
        self.head = {c: dict(t.get("head", {})) for c, t in l1.items()}
        self.words = {c: dict(t.get("words", {})) for c, t in l1.items()}
        self.suffix = {c: dict(t.get("suffix", {})) for c, t in l1.items()}
        self.l2 = {c: dict(t) for c, t in data.get("l2", {}).items()}
        self.l2_default = dict(data.get("l2_default", {}))
        self.event_units = frozenset(data.get("value", {}).get("event_units", []))
        self.patterns = list(data.get("patterns", []))
        self.fold = CharMap({ord(k): v for k, v in lexicons.folded_characters(extra_files).items()})

        vocab: set[str] = set(self.transparent)
        for table in (*self.head.values(), *self.words.values(), *self.l2.values()):
            vocab.update(table)
        for pattern in self.patterns:
            vocab.update(pattern.get("first", []))
            vocab.update(pattern.get("then", []))
        self.vocab = tuple(sorted(w for w in vocab if len(w) > 1))

        by_word: dict[str, list[str]] = {}
        for cat, table in self.words.items():
            for word in table:
                by_word.setdefault(word, []).append(f"W|{cat}")
        for cat, table in self.head.items():
            for word in table:
                by_word.setdefault(word, []).append(f"H|{cat}")
        for l2, table in self.l2.items():
            for word in table:
                by_word.setdefault(word, []).append(f"L2|{l2}")
        self.phrase_labels = by_word
        self.max_phrase_tokens = max((len(nlp.cut(w, self.vocab)) for w in by_word), default=1)
        self.head_suffix: dict[str, dict[str, float]] = {}
        for cat in LEVEL1:
            for table in (self.head.get(cat, {}), self.suffix.get(cat, {})):
                for word, weight in table.items():
                    slot = self.head_suffix.setdefault(word, {})
                    slot[cat] = max(weight, slot.get(cat, 0.0))
        self.max_head_len = max(map(len, self.head_suffix), default=1)
        # 二级 words of two characters or more, to find at the end of a longer head token
        self.l2_suffix: dict[str, dict[str, float]] = {}
        for l2, table in self.l2.items():
            for word, weight in table.items():
                if len(word) >= 2:
                    self.l2_suffix.setdefault(word, {})[l2] = weight
        self.compiled_patterns = []
        for p in self.patterns:
            # `first` may end a longer token (专项资金), `then` may start one (到位率).
            first = "(?:" + "|".join(map(re.escape, p["first"])) + ")$"
            then = "^(?:" + "|".join(map(re.escape, p["then"])) + ")"
            label = f"P|{p['category']}|{p['id']}|{p.get('weight', 1.0)}"
            self.compiled_patterns.append((label, patterns.compile(first), patterns.compile(then), int(p.get("gap", 0))))
        # the last characters of the patterns' first words: a token ending otherwise starts none
        # (None: a user pattern with no first word, or an empty one, may start at any token)
        firsts = [p["first"] for p in self.patterns]
        self.first_endings: Optional[set[str]] = (
            {w[-1] for words in firsts for w in words} if all(words and all(words) for words in firsts) else None)
        self._spacy_lock = threading.Lock()
        self._nlp = None
        self._cut = None

    def cut(self, text: str) -> list[str]:
        """`nlp.cut(text, self.vocab)`, its cutter kept: finding it by the vocabulary hashes
        that ~230-word tuple again on every call."""
        if self._cut is None:
            self._cut = nlp.cutter(self.vocab)
        return self._cut(text)

    @property
    def nlp(self):
        """The spaCy pipeline with the PhraseMatcher and Matcher, built on first use."""
        if self._nlp is None:
            with self._spacy_lock:
                if self._nlp is None:
                    self._build_matchers(nlp.pipeline(self.vocab))
        return self._nlp

    def _build_matchers(self, pipeline) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.phrases = PhraseMatcher(pipeline.vocab)
        for word, labels in self.phrase_labels.items():
            doc = pipeline.make_doc(word)
            for label in labels:
                self.phrases.add(label, [doc])
        self.matcher = Matcher(pipeline.vocab)
        for label, first, then, gap in self.compiled_patterns:
            self.matcher.add(label, [[{"TEXT": {"REGEX": first.pattern}}, *[{"OP": "?"}] * gap,
                                      {"TEXT": {"REGEX": then.pattern}}]])
        self._nlp = pipeline


_lexicon_lock = threading.Lock()
_lexicons: dict[tuple[str, ...], _Lexicon] = {}


def _lexicon(extra_files: tuple[str, ...] = ()) -> _Lexicon:
    lex = _lexicons.get(extra_files)
    if lex is None:
        with _lexicon_lock:
            lex = _lexicons.get(extra_files)
            if lex is None:
                lex = _lexicons[extra_files] = _Lexicon(extra_files)
    return lex


# ------------------------------------------------------------------ reading the name

_SPACES = patterns.compile(r"\s+")
_MAX_NAME_CHARS = 200
_DIGIT = patterns.compile(r"\d")
_PUNCT = patterns.compile(r"[\W_]+")  # \W_: not str.isalnum()
# A trailing parenthetical (`(≥**%)`, `(个)`, `(总收入)`) or a trailing target (`…通畅率100%`)
# is not part of the head.
_TRAILER = patterns.compile(r"(?:\([^()]*\)|[≥≤<>=＞＜]*\d[\d.,]*[%％]?[人个台套项次名条户座亩万]?|[，,。.;；:：、])$")


# the characters a _TRAILER match can end in, besides digits (\d: Unicode decimals)
_TRAILER_ENDS = frozenset(")%％人个台套项次名条户座亩万，,。.;；:：、")


def normalise(name: str, extra_files: tuple[str, ...] = ()) -> str:
    text = name or ""
    if "(" in text or "（" in text:  # a gloss is in brackets
        text = GLOSS.sub("", text)
    text = _lexicon(extra_files).fold(text)
    text = text.replace("（", "(").replace("）", ")")
    return _SPACES.sub("", text)


def _core_end(text: str) -> int:
    """Where the head region ends: before trailing parentheticals, targets and punctuation."""
    end = len(text)
    while end:
        last = text[end - 1]
        if last not in _TRAILER_ENDS and not last.isdecimal():
            break  # …率, …人数: most names end where no trailer can (saves the scan)
        m = _TRAILER.search(text, 0, end)
        if not m or m.end() != end or m.start() == 0:
            break
        end = m.start()
    return end


# A token as (text, start, end) and a match as (label, first token, stop token): the same plain
# data whichever engine found them, so the reading logic below does not depend on the engine.
_Tok = tuple[str, int, int]


def _match_spacy(lex: "_Lexicon", text: str) -> tuple[list[_Tok], list[tuple[str, int, int]]]:
    """Segment with the spaCy pipeline (jieba domain tokenizer), match with PhraseMatcher and
    Matcher."""
    doc = lex.nlp(text)
    toks = [(t.text, t.idx, t.idx + len(t.text)) for t in doc]
    strings = doc.vocab.strings
    matches = [(strings[m], a, b) for m, a, b in lex.phrases(doc)]
    matches += [(strings[m], a, b) for m, a, b in lex.matcher(doc)]
    return toks, matches


def _match_fast(lex: "_Lexicon", text: str) -> tuple[list[_Tok], list[tuple[str, int, int]]]:
    """The same matches without spaCy: token n-grams looked up in the phrase table, and the
    Matcher patterns walked by hand. Kept equal to `_match_spacy` by the tests."""
    toks: list[_Tok] = []
    pos = 0
    for word in lex.cut(text):
        toks.append((word, pos, pos + len(word)))
        pos += len(word)
    matches: list[tuple[str, int, int]] = []
    n = len(toks)
    for i in range(n):
        joined = ""
        for j in range(i, min(n, i + lex.max_phrase_tokens)):
            joined += toks[j][0]
            for label in lex.phrase_labels.get(joined, ()):
                matches.append((label, i, j + 1))
    endings = lex.first_endings
    for i in range(n):
        if endings is not None and toks[i][0][-1] not in endings:
            continue  # no pattern starts with this token (most tokens)
        for label, first, then, gap in lex.compiled_patterns:
            if first.search(toks[i][0]):
                for j in range(i + 1, min(n, i + 2 + gap)):
                    if then.search(toks[j][0]):
                        matches.append((label, i, j + 1))
    return toks, matches


@text_cache(4096)
def read_name(name: str, extra_files: tuple[str, ...] = (), engine: Optional[str] = None) -> NameReading:
    """Segment the name, find its head and collect the cues it carries."""
    lex = _lexicon(extra_files)
    # Names are short; a pathological one is read by its last characters, where the head is
    # (this also bounds the trailer scan below, which is quadratic in the worst case).
    text = normalise(name, extra_files)[-_MAX_NAME_CHARS:]
    if not text:
        return NameReading(text="", tokens=(), head="", trailer="", l1_cues=(), l2_cues=())
    toks, matches = (_match_fast if (engine or nlp.engine()) == "fast" else _match_spacy)(lex, text)
    end = _core_end(text)
    # Head positions (character offsets where a head may end): the end of the core, and the
    # end of what remains once transparent words (情况, 时间, 率…) are peeled off.
    core = [t for t in toks if t[2] <= end and (t[0][0].isalnum() or not _PUNCT.fullmatch(t[0]))]
    head_ends = {end}
    i = len(core) - 1
    while i >= 0 and core[i][0] in lex.transparent:
        i -= 1
        if i >= 0:
            head_ends.add(core[i][2])
    head_tokens = [t[0] for t in core if t[2] in head_ends]

    l1: list[Cue] = []
    l2: list[Cue] = []
    bonus = lex.w.get("head_bonus", 1.0)
    best_head: dict[str, tuple[float, str]] = {}  # category → strongest head cue
    for label, a, b in sorted(matches, key=lambda m: (m[1], -m[2], m[0])):  # engine-independent order
        span_end = toks[b - 1][2]
        word = text[toks[a][1]:span_end]
        at_head = span_end in head_ends
        kind, cat = label.split("|", 1)
        if kind == "H" and at_head:
            weight = max(lex.head[cat][word], lex.words.get(cat, {}).get(word, 0.0) + bonus)
            if weight > best_head.get(cat, (0.0, ""))[0]:
                best_head[cat] = (weight, word)
        elif kind == "W" and not (at_head and word in lex.head.get(cat, {})):
            weight = lex.words[cat][word] + (bonus if at_head else 0.0)
            l1.append(Cue(cat, weight, f"{'head' if at_head else 'word'}:{word}"))
        elif kind == "L2":
            weight = lex.l2[cat][word] * (2.0 if at_head else 1.0)
            l2.append(Cue(cat, weight, f"{'head' if at_head else 'word'}:{word}"))
        elif kind == "P":
            cat, pid, w = cat.split("|")
            weight = float(w) + (bonus if at_head else 0.0)
            if at_head:
                if weight > best_head.get(cat, (0.0, ""))[0]:
                    best_head[cat] = (weight, word)
            else:
                l1.append(Cue(cat, weight, f"pattern:{pid}({word})"))
    # A head token that ends in a head word (专项资金, 年收入) or a bound morpheme (劳务费).
    for tok in head_tokens:
        for k in range(min(len(tok), lex.max_head_len), 0, -1):
            table = lex.head_suffix.get(tok[-k:])
            if table is None:
                continue
            for cat, weight in table.items():
                if weight > best_head.get(cat, (0.0, ""))[0]:
                    best_head[cat] = (weight, tok[-k:])
    # A head token that ends in a 二级 word (验收合格率 → 合格率: one jieba token, so the 二级
    # lexicon's word alone is never matched inside it).
    seen_l2 = {c.label for c in l2}
    for tok in head_tokens:
        for k in range(len(tok) - 1, 1, -1):
            table = lex.l2_suffix.get(tok[-k:])
            if table is None:
                continue
            for cat, weight in table.items():
                if f"head:{tok[-k:]}" not in seen_l2 and f"head:{tok}" not in seen_l2:
                    l2.append(Cue(cat, weight * 2.0, f"head:{tok[-k:]}"))
                    seen_l2.add(f"head:{tok[-k:]}")
    head_words = sorted({word for _, word in best_head.values()})
    l1 += [Cue(cat, weight, f"head:{word}") for cat, (weight, word) in best_head.items()]
    return NameReading(text=text, tokens=tuple([t[0] for t in toks]), head="/".join(head_words),
                       trailer=text[end:] if _DIGIT.search(text, end) else "",
                       l1_cues=tuple(_dedupe(l1)), l2_cues=tuple(_dedupe(l2)))


def _dedupe(cues: list[Cue]) -> list[Cue]:
    """One vote per (category, label): a word printed twice is not twice the evidence."""
    seen: dict[tuple[str, str], Cue] = {}
    for cue in cues:
        key = (cue.category, cue.label)
        if key not in seen or cue.weight > seen[key].weight:
            seen[key] = cue
    return list(seen.values())


# ------------------------------------------------------------------ reading the value

_MONEY = patterns.compile(r"\d\s*(?:亿元|万元|千元|元|萬元)|[元]\s*/|万元|亿元")
_BARE_WAN = patterns.compile(r"\d\s*万$")
_PERCENT = patterns.compile(r"[%％]|百分")
_TIME = patterns.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{0,2}\s*日?\s*(?:前|底)|"
                         r"\d{4}[.\-/]\d{1,2}|月底|年底|年内|底前|日前|以前|之前|按时|按期|按月|"
                         r"工作日|小时|\d\s*天|(?<!\d)\d{1,2}\s*月$|\d{4}\s*年度?|^[<>≤≥=＜＞]*\d+\s*个?(?:年|月|天|日)$")
# Every form of _TIME holds one of these: a cheap scan first (most values have none)
_TIME_MARK = patterns.compile(r"[年月日天时期前底]|\d{4}[./-]\d")


def _time_in(text: str) -> bool:
    return _TIME_MARK.search(text) is not None and _TIME.search(text) is not None


_COUNT = patterns.compile(r"\d\s*[万余多]*\s*(?:人次|人|个|项|台|套|张|条|次|户|株|座|亩|公里|辆|场|批|头|只|名|组|笔|篇|份|所|间|本|册)")
_BUDGET_CONTROL = patterns.compile(r"不超(?:出|过)?预算|预算(?:成本)?(?:以)?内|预算安排|预算标准|厉行节约")
_DONE = patterns.compile(r"完成|完毕")
# A harm kept small (无明显影响, 影响较小, 不产生污染): how a 社会成本/生态环境成本 row is written
_HARM_SMALL = patterns.compile(r"(?:无|没有|不|未)(?:产生|造成|出现)?(?:明显|重大|不良|较大)?(?:影响|污染|破坏|扰民|损害)"
                               r"|(?:影响|污染|损害)(?:较小|轻微|很小|不大|可控|在可控范围内)")
_SATISFIED = patterns.compile(r"满意")


def _value_cues(value: str, dimension: Optional[str], unit: Optional[str], kind: Optional[str],
                weights_key: tuple[str, ...]) -> tuple[Cue, ...]:
    return _value_cues_cached(value[:_MAX_NAME_CHARS], dimension, unit, kind, weights_key)


@text_cache(4096)
def _value_cues_cached(value: str, dimension: Optional[str], unit: Optional[str], kind: Optional[str],
                weights_key: tuple[str, ...]) -> tuple[Cue, ...]:
    w = _lexicon(weights_key).w
    text = value or ""
    cues: list[Cue] = []
    if dimension == "money" or (dimension is None and _MONEY.search(text)):
        cues.append(Cue("成本", w.get("value_money", 2.0), f"unit:{unit or '元'}"))
    elif dimension is None and _BARE_WAN.search(text):
        cues.append(Cue("成本", w.get("value_bare_wan", 1.0), "unit:万"))
    if _BUDGET_CONTROL.search(text):
        cues.append(Cue("成本", w.get("value_budget_control", 3.0),
                        f"value:{_BUDGET_CONTROL.search(text).group(0)}"))
    if _SATISFIED.search(text):
        cues.append(Cue("满意度", w.get("value_satisfaction", 1.5), "value:满意"))
    harm = _HARM_SMALL.search(text)
    if harm:
        cues.append(Cue("成本", w.get("value_harm_small", 3.0), f"value:{harm.group(0)}"))
    if kind in ("date", "period", "cadence") or dimension == "time" or _time_in(text):
        cues.append(Cue("产出", w.get("value_time", 1.5), "value:time"))
    if dimension == "count" or (dimension is None and _COUNT.search(text)):
        cues.append(Cue("产出", w.get("value_count", 0.5), f"unit:{unit or 'count'}"))
        found = unit or (_COUNT.search(text).group(0).lstrip("0123456789.万余多 ") if _COUNT.search(text) else "")
        if found not in _lexicon(weights_key).event_units:  # 3807人 under a 控制数 head is no money
            cues.append(Cue("成本", -w.get("value_count_not_money", 0.0), f"not-money:{found or 'count'}"))
    if _DONE.search(text):
        cues.append(Cue("产出", w.get("value_done", 1.0), "value:完成"))
    return tuple(cues)


def _value_l2_cues(value: str, dimension: Optional[str], kind: Optional[str]) -> list[Cue]:
    cues = []
    if kind in ("date", "period", "duration", "cadence") or dimension == "time" or _time_in(value or ""):
        cues.append(Cue("时效", 2.6, "value:time"))
    elif dimension == "count" or (dimension is None and _COUNT.search(value or "")):
        cues.append(Cue("数量", 2.6, "unit:count"))  # a plain count is a quantity, whatever is declared
    if dimension == "percent" or (dimension is None and _PERCENT.search(value or "")):
        cues.append(Cue("质量", 0.3, "unit:%"))
    return cues


# ------------------------------------------------------------------ deciding


def classify_text(name: str, value: str = "", parsed: Optional[ParsedValue] = None,
                  declared_l1: Optional[str] = None, declared_l2: Optional[str] = None,
                  lexicon_files: tuple[str, ...] = ()) -> Classification:
    """Classify one indicator from its name, value and declared categories (cached; the
    result is shared, do not mutate its `scores`)."""
    p = (parsed.dimension, parsed.unit_canonical, parsed.kind) if parsed else (None, None, None)
    return _classify_cached(name or "", (value or "")[:_MAX_NAME_CHARS], p, declared_l1, declared_l2, tuple(lexicon_files))


@text_cache(8192)
def _classify_cached(name: str, value: str, p: tuple, declared_l1: Optional[str],
                     declared_l2: Optional[str], lexicon_files: tuple[str, ...]) -> Classification:
    lex = _lexicon(lexicon_files)
    w = lex.w
    reading = read_name(name, lexicon_files)
    dimension, unit, kind = p
    value_cues = _value_cues(value or "", dimension, unit, kind, lexicon_files)
    if reading.trailer:  # a target printed inside the name speaks like a value
        seen = {c.label for c in value_cues}
        value_cues += tuple(c for c in _value_cues(reading.trailer, None, None, None, lexicon_files)
                            if c.label not in seen)

    cues: list[Cue] = list(reading.l1_cues) + list(value_cues)
    if declared_l1 is None and declared_l2 in PARENT:
        declared_l1 = PARENT[declared_l2]
    legacy_cost = declared_l2 == "成本" and declared_l1 in ("产出", None)
    if legacy_cost:
        weight = w.get("legacy_cost", 6.0)
        if not any(c.category == "成本" for c in cues):
            weight *= w.get("unsupported_cost", 0.4)  # a rate of delivered work filed there (社会化发放率)
        cues.append(Cue("成本", weight, "declared:产出/成本(legacy)"))
    elif declared_l1 in LEVEL1:
        weight = w.get("declared_l1", 2.5)
        if declared_l1 == "成本" and not any(c.category == "成本" for c in cues):
            weight *= w.get("unsupported_cost", 0.4)  # 成本 with nothing about money in it
        cues.append(Cue(declared_l1, weight, f"declared:{declared_l1}/{declared_l2 or '-'}"))

    scores = {c: 0.0 for c in LEVEL1}
    for cue in cues:
        scores[cue.category] += cue.weight
    ranked = sorted(LEVEL1, key=lambda c: (scores[c], c == declared_l1, c == "产出"), reverse=True)
    top = ranked[0]
    if scores[top] <= 0:
        top = w.get("no_evidence_default", "产出")
        confidence = 0.2
    else:
        confidence = round(scores[top] / (scores[top] + scores[ranked[1]] + 1.0), 2)

    sub, sub_cues = _subcategory(lex, top, reading, value or "", dimension, kind,
                                 declared_l2="经济成本" if legacy_cost else declared_l2)
    decisive = [c.label for c in sorted(cues, key=lambda c: -c.weight) if c.category == top]
    # most scores are whole (0.0, 3.5 + 2.5): round(v, 2) would give them back unchanged
    rounded = {k: v if v.is_integer() else round(v, 2) for k, v in scores.items()}
    return Classification(category=top, subcategory=sub, cues=tuple(decisive + sub_cues),
                          confidence=confidence, scores=rounded)


def _subcategory(lex: _Lexicon, category: str, reading: NameReading, value: str,
                 dimension: Optional[str], kind: Optional[str],
                 declared_l2: Optional[str]) -> tuple[str, list[str]]:
    children = CHILDREN[category]
    if len(children) == 1:
        return children[0], []
    scores = {c: 0.0 for c in children}
    labels: dict[str, list[str]] = {c: [] for c in children}
    if declared_l2 in scores:
        scores[declared_l2] += lex.w.get("declared_l2", 2.5)
        labels[declared_l2].append(f"declared:{declared_l2}")
    for cue in [*reading.l2_cues, *_value_l2_cues(value, dimension, kind)]:
        if cue.category in scores:
            scores[cue.category] += cue.weight
            labels[cue.category].append(f"l2-{cue.label}")
    best = max(children, key=lambda c: (scores[c], c == declared_l2))
    if scores[best] <= 0:
        return lex.l2_default.get(category, children[0]), []
    return best, labels[best]


def classify(indicator: Indicator, lexicon_files: tuple[str, ...] = ()) -> None:
    """Set `category`, `subcategory`, `category_cues`, `category_confidence` on the indicator."""
    result = classify_text(indicator.name, indicator.value, indicator.parsed,
                           indicator.declared_level1, indicator.declared_level2, lexicon_files)
    # What pydantic's __setattr__ does for these plain (unvalidated) fields, without its four
    # handler look-ups: store the values and mark the fields as set.
    indicator.__dict__.update(category=result.category, subcategory=result.subcategory,
                              category_cues=list(result.cues), category_confidence=result.confidence)
    indicator.__pydantic_fields_set__.update(_CLASSIFY_FIELDS)


_CLASSIFY_FIELDS = ("category", "subcategory", "category_cues", "category_confidence")


# ------------------------------------------------------------------ helpers for the rules


def is_satisfaction(name: str, lexicon_files: tuple[str, ...] = ()) -> bool:
    """The name itself speaks of satisfaction (…满意度, …满意率, …满意程度, …满意)."""
    return read_name(name, lexicon_files).votes("满意度") > 0


def is_money(name: str, parsed: Optional[ParsedValue] = None, value: str = "",
             lexicon_files: tuple[str, ...] = ()) -> bool:
    """The indicator measures money: a money head (资金, 经费, …费), a budget-management act
    (资金到位率, 预算执行率), or a 元/万元 value on a name that is not a benefit (收入, 产值)."""
    reading = read_name(name, lexicon_files)
    money_words = reading.votes("成本")
    benefit = any(c.category == "效益" and c.label.startswith("head:") for c in reading.l1_cues)
    dimension = parsed.dimension if parsed else None
    value_money = any(c.category == "成本" and c.weight > 0 for c in _value_cues(
        value or (parsed.text if parsed else ""), dimension, None, None, lexicon_files))
    return money_words >= 2.0 or (value_money and not benefit)
