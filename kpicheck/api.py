"""The library API: what the upstream document-parsing tool calls. No printing, no global state.

Every function returns a pydantic `Report` (the same schema as `kpicheck check --format json`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from kpicheck.config import DEFAULT_CONFIG, Config
from kpicheck.models import Cell, FileReport, Indicator, Position, Project, Report, Row, SourceDocument
from kpicheck.pipeline import check_document, extract_document, lint, process_path, understand
from kpicheck.read.text import text_to_document
from kpicheck.report import build_report


def check_text(text: str, *, config: Optional[Config] = None, path: str = "<text>") -> Report:
    return build_report([check_document(text_to_document(text, path=path), config or DEFAULT_CONFIG)])


def extract_text(text: str, *, config: Optional[Config] = None, path: str = "<text>") -> Report:
    return build_report([extract_document(text_to_document(text, path=path), config or DEFAULT_CONFIG)])


def check_file(path: str | Path, *, config: Optional[Config] = None) -> Report:
    return build_report([process_path(path, config or DEFAULT_CONFIG)])


def extract_file(path: str | Path, *, config: Optional[Config] = None) -> Report:
    return build_report([process_path(path, config or DEFAULT_CONFIG, rules=False)])


def tables_to_document(tables: Sequence[Any], *, path: str = "<tables>") -> SourceDocument:
    """Tables as a parser hands them over: a list of tables, each a list of rows of cell strings,
    or a dict {"rows": [[...]], "page": n}. Positions become table/row/column (1-based)."""
    rows: list[Row] = []
    texts: list[str] = []
    for t_no, table in enumerate(tables, start=1):
        page = None
        if isinstance(table, dict):
            page = table.get("page")
            table = table.get("rows", [])
        for r_no, raw_row in enumerate(table, start=1):
            cells = [
                Cell(text="" if c is None else str(c),
                     pos=Position(page=page, table=t_no, row=r_no, col=c_no))
                for c_no, c in enumerate(raw_row, start=1)
            ]
            rows.append(Row(cells=cells, pos=Position(page=page, table=t_no, row=r_no, col=1), table=t_no))
            texts.append("\t".join(c.text for c in cells))
    return SourceDocument(path=path, format="tables", text="\n".join(texts), rows=rows)


def check_tables(tables: Sequence[Any], *, meta: Optional[dict] = None, config: Optional[Config] = None) -> Report:
    meta = meta or {}
    doc = tables_to_document(tables, path=meta.get("path", "<tables>"))
    if meta.get("text"):
        doc.text = meta["text"] + "\n" + doc.text
    return build_report([check_document(doc, _with_meta(config, meta))])


def extract_tables(tables: Sequence[Any], *, meta: Optional[dict] = None, config: Optional[Config] = None) -> Report:
    meta = meta or {}
    doc = tables_to_document(tables, path=meta.get("path", "<tables>"))
    return build_report([extract_document(doc, _with_meta(config, meta))])


def check_indicators(indicators: Iterable[Indicator | dict], *, projects: Iterable[Project | dict] = (),
                     budget_year: Optional[int] = None, config: Optional[Config] = None,
                     path: str = "<indicators>") -> Report:
    """Lint indicators that were already extracted (fields as in `Indicator`; `id` optional)."""
    config = config or DEFAULT_CONFIG
    inds = []
    for n, raw in enumerate(indicators, start=1):
        data = raw.model_dump() if isinstance(raw, Indicator) else dict(raw)
        data.setdefault("id", f"I{n:04d}")
        inds.append(Indicator.model_validate(data))
    understand(inds)
    projs = [p if isinstance(p, Project) else Project.model_validate(p) for p in projects]
    report = FileReport(path=path, budget_year=budget_year or config.budget_year, projects=projs, indicators=inds)
    return build_report([lint(report, config)])


def _with_meta(config: Optional[Config], meta: dict) -> Config:
    config = config or DEFAULT_CONFIG
    if meta.get("budget_year") and not config.budget_year:
        config = config.model_copy(update={"budget_year": int(meta["budget_year"])})
    return config


__all__ = [
    "check_file", "check_indicators", "check_tables", "check_text",
    "extract_file", "extract_tables", "extract_text", "process_path", "FileReport",
]
