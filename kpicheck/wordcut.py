"""jieba's word cutting with its inner loops written for speed: the same words, faster.

kpicheck cuts each new indicator name (~25 per document) with a private jieba `Tokenizer`, and
jieba's pure-Python loops (the word DAG, the best route through it, the HMM that groups unknown
characters) were about a tenth of a document's time. `FastTokenizer` keeps jieba's algorithm and
arithmetic exactly (the same floats in the same order, the same tie-breaks) and only changes how
they are computed: log frequencies once per word instead of once per use, DAG and route in one
backward pass, the four-state Viterbi unrolled, and an unknown stretch's HMM words remembered.
`tests/test_fast_paths.py` checks it against jieba on random text, on every lexicon word and on
small dictionaries full of ties.

It overrides one private method of jieba 0.42 (`Tokenizer.__cut_DAG`); `compatible()` tells
whether the installed jieba still has it (`nlp` falls back to jieba's own Tokenizer if not).
jieba's HMM tables are read once, at import. Imported only by `nlp` when the segmenter is first
built (importing jieba costs ~15 ms).
"""
from __future__ import annotations

from math import log
from typing import Iterable, Iterator

import jieba
from jieba import finalseg
from jieba._compat import strdecode

from kpicheck import patterns
from kpicheck.textcache import text_cache

_MIN = finalseg.MIN_FLOAT
_START = finalseg.start_P
_TRANS = finalseg.trans_P
_EMIT_B, _EMIT_M, _EMIT_E, _EMIT_S = (finalseg.emit_P[s] for s in "BMES")
_START_B, _START_M, _START_E, _START_S = (_START[s] for s in "BMES")
_T_BM, _T_BE = _TRANS["B"]["M"], _TRANS["B"]["E"]
_T_MM, _T_ME = _TRANS["M"]["M"], _TRANS["M"]["E"]
_T_EB, _T_ES = _TRANS["E"]["B"], _TRANS["E"]["S"]
_T_SB, _T_SS = _TRANS["S"]["B"], _TRANS["S"]["S"]
# a Han character's four emission scores, gathered on its first use (at most the ~21,000
# characters finalseg.re_han lets through)
_EMISSIONS: dict[str, tuple[float, float, float, float]] = {}


def _emissions_of(c: str) -> tuple[float, float, float, float]:
    e = _EMISSIONS[c] = (_EMIT_B.get(c, _MIN), _EMIT_M.get(c, _MIN), _EMIT_E.get(c, _MIN), _EMIT_S.get(c, _MIN))
    return e


def compatible() -> bool:
    """The installed jieba has the private method FastTokenizer replaces."""
    return hasattr(jieba.Tokenizer, "_Tokenizer__cut_DAG") and hasattr(jieba.Tokenizer, "gen_pfdict")


class FastTokenizer(jieba.Tokenizer):
    """A jieba `Tokenizer` whose `cut(text, HMM=True)` gives jieba's words faster."""

    _log_freq: dict[str, float]
    _logs_of: tuple[int, int] = (0, 0)  # (id of FREQ, total) the log tables were made for
    _log_total = 0.0

    def add_word(self, word, freq=None, tag=None) -> None:
        """jieba's add_word (also behind del_word, suggest_freq and load_userdict); the word's
        log frequency is worked out again at its next use."""
        super().add_word(word, freq, tag)
        if hasattr(self, "_log_freq"):
            self._log_freq.pop(strdecode(word), None)

    def words(self, text: str) -> list[str]:
        """`cut(text, HMM=True)`'s non-empty words. A text that is one of jieba's blocks (Han,
        letters, digits, +#&._%-), as most names are, goes straight to the block cutter
        jieba's cut would call on it: no block split, no generator around it."""
        if jieba.re_han_default.fullmatch(text):
            return [w for w in self._Tokenizer__cut_DAG(text) if w]
        return [w for w in self.cut(text, HMM=True) if w]

    def _tables(self) -> tuple[dict[str, int], dict[str, float], float]:
        """FREQ with its log frequencies (filled as words are used: jieba computes
        log(FREQ.get(word) or 1) at every use, the same value) and log(total)."""
        self.check_initialized()  # jieba's default dictionary when none was loaded
        key = (id(self.FREQ), self.total)
        if key != self._logs_of:
            if key[0] != self._logs_of[0] or not hasattr(self, "_log_freq"):
                self._log_freq = {}
            self._log_total = log(self.total)  # raises on an empty dictionary, as jieba's calc
            self._logs_of = key
        return self.FREQ, self._log_freq, self._log_total

    # jieba's Tokenizer.cut calls self.__cut_DAG for HMM=True: its mangled name is overridden
    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:
        route = self._route(sentence)  # first: it loads jieba's default dictionary if none was given
        freq = self.FREQ
        x, n, run = 0, len(sentence), -1  # run: where the current run of single characters began
        while x < n:
            y = route[x] + 1
            if y - x == 1:
                if run < 0:
                    run = x
            else:
                if run >= 0:
                    yield from _single_char_run(sentence[run:x], freq)
                    run = -1
                yield sentence[x:y]
            x = y
        if run >= 0:
            yield from _single_char_run(sentence[run:], freq)

    def _route(self, sentence: str) -> list[int]:
        """jieba's get_DAG + calc: for each start, the end of the word on the most probable
        route (the later end on a tie, as jieba's max over (score, end) tuples)."""
        freq, log_freq, log_total = self._tables()
        n = len(sentence)
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best_score, best_end = 0.0, -1
            i, frag = k, sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    lf = log_freq.get(frag)
                    if lf is None:
                        lf = log_freq[frag] = log(freq[frag])
                    v = lf - log_total + score[i + 1]
                    if best_end < 0 or v >= best_score:
                        best_score, best_end = v, i
                i += 1
                frag = sentence[k:i + 1]
            if best_end < 0:  # no word starts here: the character alone (jieba: log(0 or 1) == 0.0)
                best_score = 0.0 - log_total + score[k + 1]
                best_end = k
            score[k], end[k] = best_score, best_end
        return end


def _single_char_run(buf: str, freq: dict[str, int]) -> Iterable[str]:
    """A run of single characters: as it is (one character), as characters (a known word), or
    grouped by the HMM (an unknown stretch)."""
    if len(buf) == 1:
        return (buf,)
    if not freq.get(buf):
        forced = finalseg.Force_Split_Words  # empty unless an application adds to it
        return _hmm_words(buf, forced) if forced else _hmm_cut(buf)
    return buf  # its characters


@text_cache(4096)
def _hmm_cut(sentence: str) -> tuple[str, ...]:
    if _ALL_HAN.fullmatch(sentence):  # the usual stretch: one Han block, the Viterbi's words
        return tuple(_viterbi_words(sentence))
    return tuple(_hmm_words(sentence, frozenset()))


_ALL_HAN = patterns.compile("[\u4E00-\u9FD5]+")  # finalseg.re_han's characters


def _hmm_words(sentence: str, forced: Iterable[str]) -> list[str]:
    """finalseg.cut: Han blocks by the HMM (a forced-split word as characters), the rest as
    letters/digits and the pieces between them."""
    out: list[str] = []
    for blk in finalseg.re_han.split(sentence):
        if finalseg.re_han.match(blk):
            for word in _viterbi_words(blk):
                if word in forced:
                    out.extend(word)
                else:
                    out.append(word)
        else:
            out.extend(x for x in finalseg.re_skip.split(blk) if x)
    return out


def _viterbi_words(obs: str) -> list[str]:
    """finalseg's Viterbi over B/M/E/S and its reading of the states, unrolled (states as
    0 1 2 3, the same sums in the same order)."""
    if len(obs) == 1:
        return [obs]  # E or S alone: the character, whichever wins
    emissions = _EMISSIONS
    eb, em, ee, es = emissions.get(obs[0]) or _emissions_of(obs[0])
    vb, vm, ve, vs = _START_B + eb, _START_M + em, _START_E + ee, _START_S + es
    back: list[tuple[int, int, int, int]] = []
    for c in obs[1:]:
        eb, em, ee, es = emissions.get(c) or _emissions_of(c)
        # each state from its two possible predecessors; on a tie jieba's max over
        # (score, state) tuples keeps the later letter of the alphabet
        a, b = ve + _T_EB + eb, vs + _T_SB + eb
        if a > b:
            nb, pb = a, 2
        else:
            nb, pb = b, 3
        a, b = vm + _T_MM + em, vb + _T_BM + em
        if b > a:
            nm, pm = b, 0
        else:
            nm, pm = a, 1
        a, b = vb + _T_BE + ee, vm + _T_ME + ee
        if a > b:
            ne, pe = a, 0
        else:
            ne, pe = b, 1
        a, b = vs + _T_SS + es, ve + _T_ES + es
        if b > a:
            ns, ps = b, 2
        else:
            ns, ps = a, 3
        vb, vm, ve, vs = nb, nm, ne, ns
        back.append((pb, pm, pe, ps))
    state = 2 if ve > vs else 3
    states = [state]
    for step in reversed(back):
        state = step[state]
        states.append(state)
    states.reverse()
    words: list[str] = []
    begin = nexti = 0
    for i, pos in enumerate(states):
        if pos == 0:
            begin = i
        elif pos == 2:
            words.append(obs[begin:i + 1])
            nexti = i + 1
        elif pos == 3:
            words.append(obs[i])
            nexti = i + 1
    if nexti < len(obs):
        words.append(obs[nexti:])
    return words
