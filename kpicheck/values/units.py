"""Reading the unit that follows a number: simple (万元), magnitude (1100万人), compound (元/人·月),
and what is wrong with it (元/万元, %元, 万元万元, 平方, /株, a bare 万)."""
from __future__ import annotations

from dataclasses import dataclass

from kpicheck.values.grammar import Grammar, UnitInfo


@dataclass
class Unit:
    start: int  # folded positions
    end: int
    canonical: str | None
    dimension: str | None
    problem: str | None = None
    suggestion: str | None = None
    scale: float = 1.0  # to the base unit: 万人 → 1e4, 万元 → 1e4 (base 元)
    base: str | None = None


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def at_boundary(g: Grammar, s: str, p: int) -> bool:
    """A unit ends a word here: end, a non-CJK character, a comparator suffix or 左右."""
    return (p >= len(s) or not _is_cjk(s[p]) or g.suffix_word.match(s, p) is not None
            or s.startswith("左右", p))


def _token_info(g: Grammar, mag: str | None, u: str) -> tuple[UnitInfo, float, str | None]:
    """(info, magnitude scale, magnitude text) for one matched token."""
    if mag and (mag + u) in g.units:
        return g.units[mag + u], 1.0, None
    info = g.units[u]
    return info, (g.magnitudes.get(mag, 1.0) if mag else 1.0), mag


def _money_scale(g: Grammar, canonical: str) -> float:
    prefix = canonical[:-1]
    return g.magnitudes.get(prefix, 1.0) if canonical.endswith("元") else 1.0


def read_unit(g: Grammar, s: str, p: int) -> Unit | None:
    """The unit starting at folded position p, or None."""
    start = p
    parts: list[tuple[str, object]] = []  # (separator before, match)
    leading_slash = False
    if p < len(s) and s[p] == "/":
        m = g.unit_token.match(s, p + 1)
        if not (m and m.group("u")):
            return None
        leading_slash = True
        parts.append(("/", m))
        p = m.end()
    else:
        m = g.unit_token.match(s, p)
        if not m:
            return None
        parts.append(("", m))
        p = m.end()
        if m.group("u") is None:  # a bare magnitude: 250万
            mag = m.group("mag")
            return Unit(start, p, None, None, "incomplete", None, g.magnitudes.get(mag, 1.0), None)
    while p < len(s):
        sep = s[p] if s[p] in "/·" else ""
        m = g.unit_token.match(s, p + len(sep))
        if not (m and m.group("u")):
            break
        if not sep and not at_boundary(g, s, m.end()):
            break
        parts.append((sep, m))
        p = m.end()
    key = (s[start:p], leading_slash)
    cached = _ANALYSED.get(key)
    if cached is None or cached[0] is not g:
        cached = (g, _analyse(g, s, start, p, parts, leading_slash))
        if len(_ANALYSED) < 4096:
            _ANALYSED[key] = cached
    u = cached[1]  # a copy at this position (dataclasses.replace is ~4x slower)
    return Unit(start, p, u.canonical, u.dimension, u.problem, u.suggestion, u.scale, u.base)


# the reading of a unit depends only on its printed text: read each once
_ANALYSED: dict[tuple[str, bool], tuple[Grammar, Unit]] = {}


def _analyse(g: Grammar, s: str, start: int, end: int, parts, leading_slash: bool) -> Unit:
    printed = s[start:end]
    first_mag = parts[0][1].group("mag")
    bare = printed[len(first_mag):] if first_mag else printed
    if len(parts) > 1 and bare in g.units:  # a compound listed as such: 人/次
        info = g.units[bare]
        scale = g.magnitudes.get(first_mag, 1.0) if first_mag else 1.0
        mag_text = first_mag if scale != 1.0 else ""
        suggestion = mag_text + info.suggestion if info.suggestion else None
        return Unit(start, end, mag_text + info.canonical, info.dimension, info.problem,
                    suggestion, scale, info.canonical)

    tokens = []  # (sep, info, scale, mag)
    for sep, m in parts:
        info, scale, mag = _token_info(g, m.group("mag"), m.group("u"))
        tokens.append((sep, info, scale, mag if scale != 1.0 else None))
    canon = [(t[3] or "") + t[1].canonical for t in tokens]

    if len(tokens) == 1:
        sep, info, scale, mag = tokens[0]
        canonical = canon[0]
        if leading_slash:
            return Unit(start, end, "/" + canonical, None, "incomplete", "元/" + canonical)
        suggestion = (mag or "") + info.suggestion if info.suggestion else None
        money = _money_scale(g, info.canonical)
        base = "元" if info.dimension == "money" else info.canonical
        return Unit(start, end, canonical, info.dimension, info.problem, suggestion,
                    scale * money, base)

    # several tokens: split into groups at "/"
    groups: list[list[int]] = [[]]
    for i, (sep, *_rest) in enumerate(tokens):
        if sep == "/" and groups[-1]:
            groups.append([])
        groups[-1].append(i)
    joined = ""
    for i, (sep, *_r) in enumerate(tokens):
        joined += (sep if i else ("/" if leading_slash else "")) + canon[i]
    dims = [t[1].dimension for t in tokens]
    problem = suggestion = None
    for grp in groups:
        adjacent = [i for i in grp[1:] if tokens[i][0] == ""]
        if adjacent:
            if all(canon[i] == canon[grp[0]] for i in grp):
                problem, suggestion = "doubled", canon[grp[0]]
            else:
                problem = "incoherent"
    if problem is None and "percent" in dims:
        problem = "incoherent"
    if problem is None and len(groups) > 1:
        num_dims = {dims[i] for i in groups[0]}
        den_dims = {dims[i] for grp in groups[1:] for i in grp}
        if "money" in num_dims and "money" in den_dims:
            problem = "incoherent"
    if problem is None:
        problem = next((t[1].problem for t in tokens if t[1].problem), None)
    if leading_slash:
        return Unit(start, end, joined, None, problem or "incomplete", None)
    if problem == "doubled":
        info = tokens[0][1]
        return Unit(start, end, canon[0], info.dimension, problem, suggestion, tokens[0][2],
                    info.canonical)
    if len(groups) == 1:  # 人·月, or incoherent adjacency such as 万元%
        dim = dims[0]
    else:
        dim = "money" if dims[groups[0][0]] == "money" else "rate"
    return Unit(start, end, joined, dim, problem, suggestion, 1.0, None)
