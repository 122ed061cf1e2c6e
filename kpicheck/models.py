"""Typed data that flows through the pipeline: read → segment → parse → classify → rules → report.

Every stage takes and returns these pydantic models; nothing else crosses a module boundary.
The JSON report (schema_version 1) is `Report.model_dump(mode="json")`: additive changes only.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Level1 = Literal["产出", "效益", "满意度", "成本"]
Level2 = Literal[
    "数量", "质量", "时效", "成本",
    "经济效益", "社会效益", "生态效益", "可持续影响",
    "服务对象满意度",
    "经济成本", "社会成本", "生态环境成本",
]
Period = Literal["annual", "long_term"]
Severity = Literal["error", "warning", "info"]
Comparator = Literal["≥", "≤", "=", ">", "<"]
Dimension = Literal[
    "money", "percent", "count", "time", "area", "length", "weight", "volume",
    "rate", "score", "other",
]
ValueKind = Literal[
    "empty", "quantity", "range", "date", "period", "duration", "cadence",
    "grade", "binary", "vague", "placeholder", "text",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- positions and raw input


class Position(_Model):
    """Where something sits in its source; only the fields that fit the format are set."""

    line: Optional[int] = None  # 1-based, text formats
    column: Optional[int] = None  # 1-based, in characters
    page: Optional[int] = None  # pdf
    sheet: Optional[str] = None  # xlsx
    cell: Optional[str] = None  # xlsx "C7", or "T2R5C3" for docx/parser tables
    table: Optional[int] = None  # docx / parser tables, 1-based
    row: Optional[int] = None
    col: Optional[int] = None

    def label(self) -> str:
        """Short human location: `12:5`, `Sheet1!C7`, `p3 T1R4C2`."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        parts = []
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.table is not None:
            parts.append(f"T{self.table}R{self.row or 0}C{self.col or 0}")
        if self.line is not None:
            parts.append(f"{self.line}:{self.column or 1}")
        return " ".join(parts) or "-"


class Cell(_Model):
    text: str
    pos: Position = Field(default_factory=Position)
    # True for a copy of a merged area's value: readers expand a merge to every cell of its area
    # (xlsx, docx); only the area's top-left cell has merged=False.
    merged: bool = False


class Row(_Model):
    """One row of cells. A text line is a row; so is a spreadsheet or docx table row."""

    cells: list[Cell]
    pos: Position = Field(default_factory=Position)
    table: Optional[int] = None  # rows from the same source table share this id


class SourceDocument(_Model):
    """What a reader yields: the document as rows of cells, plus its plain text."""

    path: str
    format: str  # "text", "xlsx", "docx", "pdf", "csv", "json", "tables"
    text: str = ""  # the whole text (for narrative look-ups such as budgets)
    rows: list[Row] = Field(default_factory=list)
    encoding: Optional[str] = None


# ---------------------------------------------------------------- parsed values


class Span(_Model):
    start: int
    end: int


class DateValue(_Model):
    text: str
    span: Span
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    valid: bool = True
    problem: Optional[str] = None  # "day>days-in-month", "month-out-of-range", "year-implausible"...
    excel_serial: bool = False


class ParsedValue(_Model):
    """A value text such as `≥95%`, `≤57.2万元`, `2023年12月31日前`, `有效提升`, broken down.

    Frozen: the parse of a text is shared by every indicator that prints the same value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    kind: ValueKind = "text"
    comparator: Optional[Comparator] = None
    comparator_text: Optional[str] = None  # as printed: "≥", "不低于", "以上"...
    comparator_span: Optional[Span] = None
    comparator_problem: Optional[str] = None  # "doubled", "contradictory"
    number: Optional[float] = None
    number_text: Optional[str] = None
    number_span: Optional[Span] = None
    number_problem: Optional[str] = None  # "bad-thousands-separator", "digits-run-into-text"...
    approximate: bool = False  # 约, 近, 余, 多
    low: Optional[float] = None  # ranges
    high: Optional[float] = None
    unit: Optional[str] = None  # as printed
    unit_canonical: Optional[str] = None  # 万元, %, 人, 平方米 ...
    unit_span: Optional[Span] = None
    dimension: Optional[Dimension] = None
    unit_problem: Optional[str] = None  # "incoherent", "doubled", "nonstandard"
    unit_suggestion: Optional[str] = None
    dates: list[DateValue] = Field(default_factory=list)
    period_start: Optional[DateValue] = None
    period_end: Optional[DateValue] = None
    deadline: bool = False  # 前 / 之前 / 底前 / 以前
    grade: Optional[str] = None  # 好, 合格, 达标, 优良 ...
    binary: Optional[str] = None  # 是 / 否 / 有 / 无
    vague_phrase: Optional[str] = None
    placeholder: Optional[str] = None  # "**", "XX", "××"
    ocr_suspect: Optional[str] = None  # e.g. "292%: a leading 2 may be ≥"
    # additive (issue 3): the number in the unit without its magnitude (1100万人 → 1.1e7 人;
    # money always in 元: 57.2万元 → 572000 元), the cadence word (按月, 每年, 月均), and every
    # number printed in the value in order (6280元购买书籍3000元 → [6280, 3000]).
    base_number: Optional[float] = None
    base_unit: Optional[str] = None
    cadence: Optional[str] = None
    numbers: list[float] = Field(default_factory=list)


# ---------------------------------------------------------------- indicators and projects


class FundsRow(_Model):
    """One row of a self-evaluation's funds block (年度资金总额, 其中: 财政拨款, 上年结转, 其他资金),
    each figure as printed; `positions` as on `Indicator`."""

    label: str
    initial: Optional[str] = None  # 年初预算数
    adjusted: Optional[str] = None  # 全年预算数 / 调整后预算数
    executed: Optional[str] = None  # 全年执行数 / 实际支出
    rate: Optional[str] = None  # 执行率
    weight: Optional[str] = None  # 分值
    score: Optional[str] = None  # 得分
    pos: Position = Field(default_factory=Position)
    positions: dict[str, Position] = Field(default_factory=dict)


class Funds(_Model):
    """The funds block of a self-evaluation (项目资金 / 年度资金总额 table)."""

    unit: Optional[str] = None  # 万元 / 元, as the block states
    rows: list[FundsRow] = Field(default_factory=list)  # the total row first when printed
    pos: Position = Field(default_factory=Position)
    # additive: the funds scoring rule when the document prints one ("得分=预算执行率×分值"), as
    # printed; KPI810 checks the funds score against it (without it, only what every rule implies)
    scoring_rule: Optional[str] = None


class Project(_Model):
    name: str
    code: Optional[str] = None
    budget_wan: Optional[float] = None  # 万元, when the document states it
    budget_source: Optional[str] = None  # where it came from: "申报表 年度资金总额", "项目支出预算表"
    budget_year: Optional[int] = None
    other_budgets_wan: list[float] = Field(default_factory=list)  # other statements of its funds
    pos: Position = Field(default_factory=Position)
    # additive (issue 4): project facts printed outside the indicator table, as printed, for the
    # KPI4/KPI5 rules (an impossible 项目起止时间, a malformed amount in the 总目标 narrative)
    period_text: Optional[str] = None  # 项目起止时间 / 实施期限: "202101-302112", "2023年1月至12月"
    goal_text: Optional[str] = None  # 项目绩效总目标 / 年度目标 narrative
    # additive (issue 17): a self-evaluation's funds block and its printed total (总分 row)
    funds: Optional[Funds] = None
    total_weight: Optional[str] = None  # 总分 row: 分值 as printed (100)
    total_score: Optional[str] = None  # 总分 row: 得分 as printed
    total_pos: Optional[Position] = None


class Indicator(_Model):
    id: str
    project: Optional[str] = None
    period: Period = "annual"
    declared_level1_raw: Optional[str] = None
    declared_level2_raw: Optional[str] = None
    declared_level1: Optional[Level1] = None
    declared_level2: Optional[Level2] = None
    name: str
    value: str = ""  # comparator, number and unit joined as printed
    value_type: Optional[str] = None  # 定量 / 定性 column, when the table has one
    direction: Optional[str] = None  # 正向 / 反向 column, when the table has one
    line: Optional[int] = None
    column: Optional[int] = None
    pos: Position = Field(default_factory=Position)
    parsed: Optional[ParsedValue] = None
    category: Optional[Level1] = None  # kpicheck's own reading of the indicator
    subcategory: Optional[Level2] = None
    category_cues: list[str] = Field(default_factory=list)
    category_confidence: Optional[float] = None
    # additive (issue 17): the rest of a self-evaluation row, each as printed. `positions` says
    # where each printed field sits ("name", "value", "actual", "weight", "score",
    # "deviation_reason"), so a finding can point at the cell it is about.
    actual: Optional[str] = None  # 实际完成值 / 全年完成值 / 完成值
    weight: Optional[str] = None  # 分值 / 权重
    score: Optional[str] = None  # 得分
    deviation_reason: Optional[str] = None  # 偏差原因分析及改进措施 / 未完成原因
    actual_parsed: Optional[ParsedValue] = None
    positions: dict[str, Position] = Field(default_factory=dict)


# ---------------------------------------------------------------- findings and the report


class Finding(_Model):
    code: str  # "KPI301"
    name: str  # "inverted-comparator"
    severity: Severity
    message: str
    suggestion: Optional[str] = None
    fix: Optional[str] = None  # a safe replacement value, when there is one
    indicator_id: Optional[str] = None
    indicator: Optional[dict] = None  # {"name", "value"} for readers of the finding alone
    project: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    pos: Position = Field(default_factory=Position)
    # additive (issue 17): which printed field the finding is about, when not the target value:
    # "actual", "weight", "score", "deviation_reason", "level1" on an indicator; "funds[i].rate"
    # (any FundsRow field of row i), "total_score", "total_weight" on a project. `pos` is then
    # that field's position when the parser gave one.
    field: Optional[str] = None


class UnreadRegion(_Model):
    """Table-like text that no indicator explains (KPI100 reports it)."""

    start_line: Optional[int] = None
    end_line: Optional[int] = None
    pos: Position = Field(default_factory=Position)
    signals: list[str] = Field(default_factory=list)  # what made it look like a table: "header", "label", "values"
    excerpt: str = ""


class FileError(_Model):
    code: str  # "unreadable", "decode-error", "too-large", "unsupported-format", "missing-extra"...
    message: str


class FileReport(_Model):
    path: str
    error: Optional[FileError] = None
    budget_year: Optional[int] = None
    # False when the document visibly goes on after its last target table (a 合计 row,
    # signatures, notes, the next section); None when that cannot be told (it may be cut off).
    truncated: Optional[bool] = None
    # additive (issue 15): the share of the characters of the document's table regions that the
    # parse explained (a role or junk it recognised); None when the document shows no table.
    coverage: Optional[float] = None
    unread: list[UnreadRegion] = Field(default_factory=list)  # table text no indicator explains
    projects: list[Project] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)


class ToolInfo(_Model):
    name: str = "kpicheck"
    version: str


class Summary(_Model):
    files: int = 0
    files_with_errors: int = 0
    projects: int = 0
    indicators: int = 0
    findings: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    by_code: dict[str, int] = Field(default_factory=dict)


class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo
    files: list[FileReport] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)


class Extraction(_Model):
    """What segmentation yields for one document."""

    budget_year: Optional[int] = None
    truncated: Optional[bool] = None  # see FileReport.truncated
    coverage: Optional[float] = None  # see FileReport.coverage
    unread: list[UnreadRegion] = Field(default_factory=list)  # table text the parse did not explain
    projects: list[Project] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
