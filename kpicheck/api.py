"""The library API: what the upstream document-parsing tool calls.

Every `check_*` function returns a pydantic `Report`, the schema of `kpicheck check --format
json` (`report.model_dump(mode="json")`); every `extract_*` function returns the same report
without findings (indicators, parsed values and categories only). The functions never print,
never change global state (logging, locale, the config passed in) and may be called from
several threads at once. An input that cannot be read is not an exception: its `FileReport`
carries `error` (a stable `code` such as "corrupt", "encrypted", "too-large", "missing-extra",
"invalid-tables", and a message), exactly as the CLI reports it.

    from kpicheck.api import check_tables
    report = check_tables([[["一级指标", "二级指标", "三级指标", "指标值"],
                            ["产出指标", "数量指标", "培训人数", "≥100人"]]],
                          meta={"budget_year": 2024})
    for finding in report.files[0].findings:
        print(finding.code, finding.message)

`config` is a `kpicheck.config.Config`, a dict of the same keys (as under `[tool.kpicheck]`),
or None for the defaults.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Optional, Union

from kpicheck.config import DEFAULT_CONFIG, Config
from kpicheck.models import FileError, FileReport, Indicator, Project, Report, SourceDocument
from kpicheck.pipeline import check_document, extract_document, lint, process_path, understand
from kpicheck.read import read_document
from kpicheck.read.errors import ReadError
from kpicheck.read.json_tables import tables_to_document
from kpicheck.read.text import text_to_document
from kpicheck.report import build_report

ConfigLike = Union[Config, Mapping[str, Any], None]
PathLike = Union[str, Path]


def _config(config: ConfigLike, budget_year: Optional[int] = None) -> Config:
    """The config to use: never the caller's object mutated, defaults when None."""
    if config is None:
        config = DEFAULT_CONFIG
    elif not isinstance(config, Config):
        config = Config.model_validate(dict(config))
    if budget_year and not config.budget_year:
        config = config.model_copy(update={"budget_year": int(budget_year)})
    return config


def _run(doc: SourceDocument, config: Config, rules: bool) -> FileReport:
    """One document through the pipeline; an internal failure becomes an error entry, as in
    `pipeline.process_path`, so a batch caller always gets a report back."""
    try:
        return check_document(doc, config) if rules else extract_document(doc, config)
    except Exception as exc:  # noqa: BLE001 - one bad input must never stop the caller's batch
        return FileReport(path=doc.path, error=FileError(code="internal-error", message=f"内部错误: {exc!r}"))


# ---------------------------------------------------------------------- text


def check_text(text: str, *, config: ConfigLike = None, path: str = "<text>") -> Report:
    """Lint a document given as text (what a .txt file holds); `path` is shown in the report."""
    return build_report([_run(text_to_document(text, path=path), _config(config), rules=True)])


def extract_text(text: str, *, config: ConfigLike = None, path: str = "<text>") -> Report:
    """The indicators of a document given as text, without rules."""
    return build_report([_run(text_to_document(text, path=path), _config(config), rules=False)])


# ---------------------------------------------------------------------- files


def check_file(path: PathLike, *, config: ConfigLike = None, display_path: Optional[str] = None) -> Report:
    """Lint one file of any supported format (.txt .md .csv .tsv .json .xlsx .docx .pdf)."""
    return build_report([process_path(path, _config(config), display_path=display_path)])


def extract_file(path: PathLike, *, config: ConfigLike = None, display_path: Optional[str] = None) -> Report:
    """The indicators of one file, without rules."""
    return build_report([process_path(path, _config(config), rules=False, display_path=display_path)])


def check_files(paths: Iterable[PathLike], *, config: ConfigLike = None) -> Report:
    """Lint several files into one report (a file that cannot be read gets an error entry)."""
    cfg = _config(config)
    return build_report([process_path(p, cfg) for p in paths])


def read_file(path: PathLike) -> SourceDocument:
    """What the reader makes of a file: rows of cells with positions. Raises `ReadError`."""
    return read_document(path)


# ---------------------------------------------------------------------- tables from a parser


def _tables_report(tables: Any, meta: Optional[Mapping[str, Any]], config: ConfigLike, rules: bool) -> Report:
    meta = dict(meta or {})
    path = str(meta.get("path") or "<tables>")
    try:
        doc = tables_to_document(tables, path=path, text=str(meta.get("text") or ""))
    except ReadError as exc:
        return build_report([FileReport(path=path, error=FileError(code=exc.code, message=exc.message))])
    return build_report([_run(doc, _config(config, meta.get("budget_year")), rules)])


def check_tables(tables: Any, *, meta: Optional[Mapping[str, Any]] = None, config: ConfigLike = None) -> Report:
    """Lint tables a parser extracted: a list of tables, each a list of rows of cell strings,
    or {"rows": [[...]], "page": n} per table, or {"tables": [...], "text": "..."}.

    `meta` (all optional): "path" (shown in the report), "budget_year" (the year the targets are
    for, when the tables do not say), "text" (narrative text from around the tables, read
    before them, e.g. the 项目名称 and 资金总额 lines). Positions in the report are
    table/row/col (1-based) and page when given. Malformed tables give an error entry with
    code "invalid-tables". A self-evaluation table (自评表) is read as the text of one is: its
    results (actual, weight, score, deviation reason), funds block and 总分 are checked by the
    KPI8 rules as far as the parser reads them (`extract_tables` shows what it read)."""
    return _tables_report(tables, meta, config, rules=True)


def extract_tables(tables: Any, *, meta: Optional[Mapping[str, Any]] = None, config: ConfigLike = None) -> Report:
    """The indicators in parser tables, without rules (arguments as `check_tables`)."""
    return _tables_report(tables, meta, config, rules=False)


# ---------------------------------------------------------------------- indicators


def check_indicators(indicators: Iterable[Union[Indicator, Mapping[str, Any]]], *,
                     projects: Iterable[Union[Project, Mapping[str, Any]]] = (),
                     budget_year: Optional[int] = None, config: ConfigLike = None,
                     path: str = "<indicators>", truncated: Optional[bool] = None) -> Report:
    """Lint indicators that were already extracted (fields as in `Indicator`: at least `name`
    and `value`; `id` optional). The caller's objects are copied, never modified; values are
    parsed and indicators classified here. `projects` give budgets for the cost rules;
    `truncated=True` says the document ends inside its table (a value cut off there is not judged).

    A self-evaluation row also gives, as printed, `actual` (实际完成值), `weight` (分值),
    `score` (得分), `deviation_reason` ("" for an empty cell of a printed column) and
    `positions` ({"score": {"line": 12, "column": 40}, ...}: a finding about that field points
    there); its project gives `funds` ({"unit", "rows": [{"label", "initial", "adjusted",
    "executed", "rate", "weight", "score"}], "scoring_rule"}) and `total_weight` /
    `total_score` (the 总分 row). The KPI8 rules check them; `Finding.field` names the field."""
    cfg = _config(config)
    inds = []
    for n, raw in enumerate(indicators, start=1):
        data = raw.model_dump() if isinstance(raw, Indicator) else dict(raw)
        data.setdefault("id", f"I{n:04d}")
        inds.append(Indicator.model_validate(data))
    projs = [Project.model_validate(p.model_dump() if isinstance(p, Project) else dict(p)) for p in projects]
    try:
        understand(inds, tuple(cfg.lexicons))
        report = FileReport(path=path, budget_year=budget_year or cfg.budget_year, truncated=truncated,
                            projects=projs, indicators=inds)
        return build_report([lint(report, cfg)])
    except Exception as exc:  # noqa: BLE001
        return build_report([FileReport(path=path, error=FileError(code="internal-error",
                                                                   message=f"内部错误: {exc!r}"))])


__all__ = [
    "Report", "FileReport", "Indicator", "Project", "Config", "ReadError",
    "check_file", "check_files", "check_indicators", "check_tables", "check_text",
    "extract_file", "extract_tables", "extract_text", "read_file", "tables_to_document",
]
