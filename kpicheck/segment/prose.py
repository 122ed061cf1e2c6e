"""Prose and run-together (FLAT) indicator lists.

Prose:  '产出指标：数量指标：社保卡补卡换卡数量+三代卡补卡换卡年增7万张。指标设立依据是：…'
Flat:   '产出指标数量指标农村义务教育学校改造覆盖率100%' (table cells run together).
Both are read with the same category-label state machine: labels (with or without a colon)
cut the text into items; an item splits into name and value at '+' or where the value starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from kpicheck import lexicons, patterns
from kpicheck.segment import cells as C
from kpicheck.segment.labels import Label, parse_label, simplify

_HEADER_RUN = patterns.compile(
    r"(?:绩效指标|一级指标|二级指标|三级指标(?:内容)?|指标内容|指标名称|指标目标值|指标值(?:\(包含数字及文字描述\))?|"
    r"备注|指标权重|计量单位|指标性质|指标方向)"
)
_PERIOD = patterns.compile(r"(长期|中期|实施期|年度)(?:绩效)?(?:目标|指标)\s*\d*\s*[:：]?")
# Split points, precompiled (a module-level `re.split(pattern, …)` looks the pattern up each call).
_BASIS_NOTE = patterns.compile(r"。\s*(?:指标设立依据|指标值设定依据|指标值确定依据)")
_SEG_NOTE = patterns.compile(r"。\s*指标设立依据|指标设立依据|。\s*指标值设定依据")
_VALUE_END = patterns.compile(r"[。]|指标设立依据|指标值设定依据")
_PLUS = patterns.compile(r"([+＋])")
_SEMICOLON = patterns.compile(r"[;；]")
_ELLIPSIS = patterns.compile(r"[…. ·]+")
_DIGIT = patterns.compile(r"\d")
_STOP = patterns.compile(
    r"省级部门预算|项目支出绩效目标表|绩效目标表|项目名称|填报单位|单位负责人|联系电话|附件[:：]|"
    r"指标设立依据|指标值设定依据|财政部门审核"
)
_CURRENT = patterns.compile(r"(?:预期当年实现值|预计当年实现值|当年实现值|预期当年值)\s*[:：]\s*")
_VALUE_TAIL = regex.compile(  # `regex`: searched with overlapped=True
    # a date or deadline ending the item (补助发放时间2024年6月31日前): the value starts at its year
    r"(?:(?:19|20)\d\d\s*(?:年|[.\-/]\s*\d)[^\n。；;]{0,16}$)|"
    rf"(?:{C.CMP_LEAD}\s*[=]?\s*[\d０-９*]"
    r"|[\d０-９][\d０-９.,，]*\s*(?:%|％|[^\d\s,，;；。、]{0,6})?\s*$)"
)


_QUAL_TAIL = patterns.compile(r"(?:稳步|有效|明显|显著|逐步|持续|不断|大幅|进一步|逐年)(?:提高|提升|改善|增强|增加|加强|下降|降低)$"
                              # a grade or a time word closing a statement: 工资发放情况按时, 工程质量合格
                              r"|(?<=情况|质量|工作|进度|发放|拨付|完成|验收|建设|运行)(?:按时按量|按时|及时|按期|如期|按计划|"
                              r"全覆盖|达标|合格|优良|良好|较好)$")


@dataclass
class ProseItem:
    name: str
    value: str
    level1: Optional[str]
    level2: Optional[str]
    level1_raw: Optional[str]
    level2_raw: Optional[str]
    period: str
    offset: int  # character offset in the joined text


@lru_cache(maxsize=None)  # two entries (colon or not): maxsize=1 would rebuild on each switch
def _label_regex(colon: bool):
    data = lexicons.load("labels")
    stems = sorted(list(data.get("level1", {})) + list(data.get("level2", {})), key=len, reverse=True)
    suffixes = sorted(data.get("suffixes", []), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in stems)
    suf = "|".join(re.escape(s) for s in suffixes if s != "指")
    if colon:  # '数量指标：…', or a heading '二、 效益指标' without a colon
        return regex.compile(rf"(?:{alt})(?:{suf})?\s*[:：,，]|(?<=[、.．]\s*)(?:{alt})(?:{suf})")  # variable look-behind
    return patterns.compile(rf"(?:{alt})(?:{suf})(?:[（(][^（）()]{{0,20}}[）)]\s*分?)?")


def split_item(text: str) -> tuple[str, str]:
    text = _BASIS_NOTE.split(text)[0]
    text = text.strip(" ,，;；。、:：\t")
    if not text:
        return "", ""
    cur = _CURRENT.search(text)
    if "+" in text or "＋" in text:
        name, _, value = _PLUS.split(text, maxsplit=1)
        if cur:
            value = value[value.find(cur.group(0)) + len(cur.group(0)):] if cur.group(0) in value else value
        return name.strip(), _strip_value(value)
    if cur:
        return text[: cur.start()].strip(" ,，:："), _strip_value(text[cur.end():])
    m = _value_start(text)
    if m:
        return text[: m.start()].strip(" ,，"), text[m.start():].strip()
    q = _QUAL_TAIL.search(text)
    if q and C.cjk_count(text[: q.start()]) >= 3:
        return text[: q.start()].strip(" ,，"), text[q.start():]
    return text, ""


_CJK_CHAR = patterns.compile(r"[\u4e00-\u9fff]")
_MAX_VALUE_SEARCH = 400  # a value starts in an item's last 400 characters; a longer item is a paragraph


def _value_start(text: str):
    """The first place a value can start: outside parentheses, after a name of two CJK characters
    or more. Depth and the CJK count run along the candidates (one pass, not one per candidate),
    and a long paragraph is searched in its tail only: both were quadratic on 30k-character runs."""
    second = None
    for n, ch in enumerate(_CJK_CHAR.finditer(text)):
        if n == 1:
            second = ch.end()
            break
    if second is None:
        return None  # no name of two characters: no candidate qualifies
    start = max(second, len(text) - _MAX_VALUE_SEARCH)
    depth, at = _depth(text[:start]), start
    for cand in _VALUE_TAIL.finditer(text, pos=start, overlapped=True):
        depth, at = _depth(text[at:cand.start()], depth), cand.start()
        if depth == 0:
            return cand
    return None


def _depth(text: str, depth: int = 0) -> int:
    """Parenthesis depth after `text`, starting from `depth`."""
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return depth


def _strip_value(value: str) -> str:
    value = _VALUE_END.split(value)[0]
    return value.strip(" ,，;；、")


def read_items(text: str, colon: bool, period: str = "annual",
               state: Optional[dict] = None) -> tuple[list[ProseItem], dict]:
    """Items in a prose or flat text. `state` carries 一级/二级/period across calls (flat rows)."""
    state = state if state is not None else {"l1": None, "l2": None, "period": period}
    simple = simplify(text)
    same_len = len(simple) == len(text)
    probe = simple if same_len else text
    marks: list[tuple[int, int, str, object]] = []
    for m in _label_regex(colon).finditer(probe):
        word = m.group(0).rstrip(":：,， ")
        label = parse_label(word, prefer=1 if not marks or marks[-1][2] != "label" else 2)
        if label is not None:
            marks.append((m.start(), m.end(), "label", label))
    for m in _PERIOD.finditer(probe):
        if not any(s <= m.start() < e for s, e, _, _ in marks):
            marks.append((m.start(), m.end(), "period", "long_term" if m.group(1) != "年度" else "annual"))
    for m in _HEADER_RUN.finditer(probe):
        if not any(s <= m.start() < e for s, e, _, _ in marks):
            marks.append((m.start(), m.end(), "header", None))
    for m in _STOP.finditer(probe):
        if not any(s <= m.start() < e for s, e, _, _ in marks):
            marks.append((m.start(), m.end(), "stop", None))
    marks.sort(key=lambda x: x[0])
    items: list[ProseItem] = []
    bounds = [(s, e, k, v) for s, e, k, v in marks] + [(len(text), len(text), "end", None)]
    pending: Optional[tuple[int, int]] = (0, 0)
    stopped = bool(state.get("stopped"))
    for n, (s, e, k, v) in enumerate(bounds):
        if k == "label" and v.canonical == "成本":
            nxt = bounds[n + 1] if n + 1 < len(bounds) else None
            adjacent_cost_l2 = (nxt is not None and nxt[2] == "label" and nxt[3].parent == "成本"
                                and nxt[0] - e <= 2)
            if adjacent_cost_l2 or not (state["l1"] and state["l1"].canonical == "产出"):
                v = Label(1, "成本", None, v.raw)
            else:
                v = Label(2, "成本", "产出", v.raw)
        if pending is not None and s > pending[0] and not stopped:
            seg = text[pending[0]:s]
            _emit(seg, pending[0], state, items, colon)
        pending = None
        if k == "label":
            label: Label = v
            if label.level == 1:
                state["l1"], state["l2"] = label, None
            else:
                state["l2"] = label
                if label.parent and label.canonical != "成本":
                    if state["l1"] is None or state["l1"].canonical != label.parent:
                        state["l1"] = Label(1, label.parent, None, "")
            stopped = False
        elif k == "period":
            state["period"] = v
            stopped = False
        elif k == "stop":
            stopped = True
            state["stopped"] = True
        elif k == "header":
            stopped = False
        pending = (e, 0)
    return items, state


_SEPARATORS = patterns.compile(r"[;；]|。(?!\s*$)")


_ENUM_TAIL = patterns.compile(r"[。；;，,]?\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+\s*[、．])\s*$")


def _split_outer_commas(text: str) -> list[str]:
    """`text` cut at the commas outside parentheses: where the next parenthesis to the right, if
    any, opens. One pass from the right (a look-ahead per comma was quadratic on comma runs)."""
    cuts = []
    closing_ahead = False
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in ")）":
            closing_ahead = True
        elif ch in "(（":
            closing_ahead = False
        elif ch in ",，" and not closing_ahead:
            cuts.append(i)
    pieces, start = [], 0
    for i in reversed(cuts):
        pieces.append(text[start:i])
        start = i + 1
    pieces.append(text[start:])
    return pieces


def _drop_enum_tail(seg: str) -> str:
    """'…覆盖率100%；二、' → '…覆盖率100%': the next item's number closing this one. The marker
    is short, so only the last 64 characters are searched: the end-anchored pattern retried
    from every start of a 30k-character run of digits was quadratic."""
    cut = max(0, len(seg) - 64)
    return seg[:cut] + _ENUM_TAIL.sub("", seg[cut:])


def _emit(seg: str, offset: int, state: dict, items: list[ProseItem], colon: bool) -> None:
    seg = _drop_enum_tail(seg.strip()).strip()
    if not seg or (state["l1"] is None and state["l2"] is None and not state.get("table")):
        return
    if colon:
        seg = _SEG_NOTE.split(seg)[0]
        parts = [p for p in _SEMICOLON.split(seg) if p.strip()]
    else:
        parts = [seg]
    for part in parts:
        part = part.strip(" 。")
        if not part or _ELLIPSIS.fullmatch(part):
            continue
        subparts = [part]
        if colon and "+" not in part and "＋" not in part:
            # '★lead-in,name(≥**株)>=17600株,name2 ≥80万元' → one item per piece holding a value
            pieces = [p for p in _split_outer_commas(part) if p.strip()]
            with_value = [p for p in pieces if split_item(p)[1]]
            if len(pieces) > 1 and with_value:
                subparts = with_value
        for sub in subparts:
            _emit_one(sub, offset, state, items, colon)


_WEIGHTED = patterns.compile(
    r"^(?P<name>.*?[\u4e00-\u9fff)）])(?P<w>\d{1,2}(?:\.\d+)?)"
    r"(?P<unit>%|％|[\u4e00-\u9fff/]{1,4}(?=[=≥≤<>＝]))?(?P<cmp>[=≥≤<>＝]=?)?(?P<val>\S.*)$"
)


def _emit_one(part: str, offset: int, state: dict, items: list[ProseItem], colon: bool) -> None:
    m = _WEIGHTED.match(part) if state.get("weighted") else None
    if m:  # 指标名称|指标权重|计量单位|指标性质|指标值 run together: '预算执行率10%=100'
        name, value = m.group("name"), (m.group("cmp") or "") + m.group("val") + (
            m.group("unit") if m.group("unit") and _DIGIT.search(m.group("val")) else "")
    else:
        name, value = split_item(part)
    name = name.lstrip("★☆* ")
    if colon and not value and C.cjk_count(name) >= 2:
        value = name  # a prose statement names and states at once ('生态修复功能提高')
    if not value and C.cjk_count(name) < 2 and not _DIGIT.search(name):
        return
    l1, l2 = state["l1"], state["l2"]
    level1 = l1.canonical if l1 else None
    if l2 is not None and l2.parent and l2.canonical != "成本":
        level1 = l2.parent
    items.append(ProseItem(
        name=name, value=value, level1=level1, level2=l2.canonical if l2 else None,
        level1_raw=l1.raw if l1 and l1.raw else None, level2_raw=l2.raw if l2 else None,
        period=state["period"], offset=offset,
    ))
