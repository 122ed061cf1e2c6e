"""The kinds a rendered layout is made of, and the spec that combines them (tests/layouts/render.py
prints a spec)."""
from __future__ import annotations

import random
from dataclasses import dataclass


SEPARATORS = ("tab", "pipe", "pipe_shift", "spaces", "none", "line", "paragraph", "line_pipe", "prose",
              "xlsx", "docx")
ROW_SEPARATORS = ("tab", "pipe", "pipe_shift", "spaces", "none")
CELL_SEPARATORS = ("line", "paragraph", "line_pipe")
FILE_SEPARATORS = ("xlsx", "docx")
LABEL_MODES = ("labels_merged", "labels_repeated", "no_labels")
HEADER_MODES = ("header_plain", "header_wrapped", "header_two_rows", "header_merged_row", "no_header")
COLUMNS = ("col_desc", "col_weight", "col_actual", "col_score", "col_unit", "col_comparator", "col_direction",
           "col_nature", "col_note")
OPTIONS = COLUMNS + ("reorder", "header_synonyms", "label_variants", "label_scores", "wrap_space", "wrap_newline",
                     "spaced_chars", "traditional", "ocr", "page_markers", "repeated_header", "total_row",
                     "signature_rows", "notes", "two_tables")

KINDS: dict[str, str] = {
    "tab": "a row per line, tab between cells, blank cells kept",
    "pipe": "a row per line, `| a | b |`, blank cells kept",
    "pipe_shift": "a row per line, `|` between cells, blank (merged) cells dropped so the columns shift",
    "spaces": "a row per line, one or two spaces between cells, blank cells dropped",
    "none": "a row per line, cells run together with nothing between them",
    "line": "one cell per line, blank cells dropped",
    "paragraph": "one cell per paragraph (blank lines between cells)",
    "line_pipe": "one cell per line ending ` |`, a `|` line before each row and `||` after",
    "prose": "一、产出指标 / 数量指标：名称≥值；名称为值。 (labels and items in sentences)",
    "xlsx": "an .xlsx sheet (openpyxl), 一级/二级 cells merged over their group, numbers as numbers",
    "docx": "a .docx table (python-docx), 一级/二级 cells merged over their group",
    "labels_merged": "一级/二级 printed on the first row of their group only (merged cells)",
    "labels_repeated": "一级/二级 printed on every row",
    "no_labels": "no 一级/二级 columns (expected declared category: none)",
    "header_plain": "one header row",
    "header_wrapped": "header words wrapped over two lines (一级 / 指标), printed side by side",
    "header_two_rows": "header split over two rows: group words (绩效指标, 年度目标, 完成情况) above",
    "header_merged_row": "the header and the first data row on one line",
    "no_header": "no header row",
    "col_desc": "a 指标说明 column (反映…情况)",
    "col_weight": "a 分值 column, weights summing to 100 and to each 一级's subtotal",
    "col_actual": "an 实际完成值 column consistent with the target",
    "col_score": "a 得分 column, never above the weight",
    "col_unit": "a 计量单位 column, the unit split off the value",
    "col_comparator": "a 计算符号 column, the comparator split off the value (`=` where none was printed)",
    "col_direction": "a 指标方向 column (正向/反向)",
    "col_nature": "a 指标性质 column (定量/定性)",
    "col_note": "a 备注 column, mostly blank",
    "reorder": "the columns after the labels shuffled (a value before its name, 说明 between them)",
    "header_synonyms": "header words drawn from the synonym lists",
    "label_variants": "category labels drawn from the variant lists (效果指标, 预期产出指标, …); 成本 moved "
                      "between legacy 产出/成本 and 一级 成本/经济成本",
    "label_scores": "score notes on the 一级 labels: 产出指标(50分)",
    "wrap_space": "long names wrapped with a space (养护面 积)",
    "wrap_newline": "long names wrapped with a newline inside the cell",
    "spaced_chars": "labels and header words spaced out (产 出 指 标), some names too",
    "traditional": "the whole document in traditional characters (OpenCC s2tw)",
    "ocr": "OCR slips in values: ≥ read as 2, O for 0, l for 1, a dropped %",
    "page_markers": "page markers between rows (-3-, 第3页, 第 3 页 共 5 页)",
    "repeated_header": "the header printed again after a page break",
    "total_row": "a 合计 row (100, the summed scores)",
    "signature_rows": "填报人/审核人/年 月 日 lines or cells after the table",
    "notes": "a note (注：…) after the table",
    "two_tables": "two projects' tables in one document",
}
assert set(KINDS) == set(SEPARATORS) | set(LABEL_MODES) | set(HEADER_MODES) | set(OPTIONS)

# Left out of development as a whole: one separator kind and two noise kinds.
HELD_OUT_KINDS = frozenset({"line_pipe", "page_markers", "notes"})
DEV_KINDS = tuple(k for k in KINDS if k not in HELD_OUT_KINDS)

PROSE_KINDS = frozenset({"prose", "labels_merged", "no_labels", "no_header", "label_variants", "label_scores",
                         "wrap_space", "wrap_newline", "spaced_chars", "traditional", "ocr", "page_markers",
                         "signature_rows", "notes", "two_tables"})


def applicable(kind: str, separator: str) -> bool:
    """Whether `kind` means anything printed with `separator`."""
    if separator == "prose":
        return kind in PROSE_KINDS
    if kind == "header_merged_row":
        return separator in ROW_SEPARATORS  # no physical row to share elsewhere
    if kind == "page_markers":
        return separator not in FILE_SEPARATORS
    return True


@dataclass(frozen=True)
class Spec:
    separator: str
    kinds: frozenset = frozenset()  # the label mode, the header mode and the options
    held_out: bool = False  # print the held-out halves of the word lists

    def all_kinds(self) -> tuple[str, ...]:
        return (self.separator,) + tuple(sorted(self.kinds))

    def has(self, kind: str) -> bool:
        return kind == self.separator or kind in self.kinds

    def __str__(self) -> str:
        return "+".join(self.all_kinds()) + (" [held-out words]" if self.held_out else "")


def _complete(separator: str, kinds: set, rng: random.Random | None) -> Spec:
    """The spec with one label mode and one header mode (drawn, or the plainest without rng)."""
    kinds = {k for k in kinds if applicable(k, separator)}
    for modes, plain in ((LABEL_MODES, "labels_merged"), (HEADER_MODES, "header_plain")):
        chosen = [m for m in modes if m in kinds]
        if len(chosen) > 1:
            raise ValueError(f"one of {modes} at a time, not {chosen}")
        if not chosen:
            pool = [m for m in modes if applicable(m, separator) and m not in HELD_OUT_KINDS]
            kinds.add(rng.choice(pool) if rng else (plain if plain in pool else pool[0]))
    return Spec(separator, frozenset(kinds))


def plain_spec(force=(), held_out: bool = False) -> Spec:
    """The forced kinds on the plainest base: tab, labels on each group's first row, one header."""
    force = set(force)
    seps = [k for k in force if k in SEPARATORS]
    if len(seps) > 1:
        raise ValueError(f"one separator at a time, not {seps}")
    sep = seps[0] if seps else "tab"
    spec = _complete(sep, force - {sep}, None)
    return Spec(spec.separator, spec.kinds, held_out)


def draw_spec(rng: random.Random, force=(), held_out: bool = False, p: float = 0.15) -> Spec:
    """A random spec: the forced kinds, and each other development kind with probability p (a
    random separator and modes unless forced). Held-out kinds come only when forced."""
    force = set(force)
    seps = [k for k in force if k in SEPARATORS]
    if len(seps) > 1:
        raise ValueError(f"one separator at a time, not {seps}")
    sep = seps[0] if seps else rng.choice([s for s in SEPARATORS if s not in HELD_OUT_KINDS
                                           and all(applicable(k, s) for k in force)])
    kinds = force - {sep}
    for k in OPTIONS:
        on = rng.random() < p
        if on and k not in HELD_OUT_KINDS:
            kinds.add(k)
    spec = _complete(sep, kinds, rng)
    return Spec(spec.separator, spec.kinds, held_out)
