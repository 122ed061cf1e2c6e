"""A report read back as documents with their counts and their unit, region and year: from a
`--format parquet` directory (only the columns needed) or a `--format json` file."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from kpicheck.meta import Layout, MetaTable

SEVERITIES = ("error", "warning", "info")
UNKNOWN = {"zh": "（未注明）", "en": "(not given)"}


class SummaryError(ValueError):
    """A source that is not a kpicheck report, or a missing extra: exit 2."""


@dataclass
class Document:
    path: str
    unit: Optional[str] = None
    region: Optional[str] = None
    year: Optional[int] = None
    year_from: str = ""  # "metadata", "path", "document" or ""
    error: Optional[str] = None  # the file's error code when it could not be read
    projects: int = 0
    indicators: int = 0
    by_code: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)

    @property
    def findings(self) -> int:
        return sum(self.by_code.values())


@dataclass
class Corpus:
    documents: list[Document]
    rule_info: dict[str, tuple[str, str]]  # code → (name, severity), as the findings carry them


# ---------------------------------------------------------------------- loading


def load(source: Path, layout: Optional[str] = None, meta_file: Optional[Path] = None) -> Corpus:
    """A report (parquet directory or JSON file) as documents with their counts and metadata."""
    source = Path(source)
    if source.is_dir():
        if not (source / "files.parquet").is_file():
            raise SummaryError(f"{source} 中没有 files.parquet（请给出 kpicheck check --format parquet -o DIR 的目录，"
                               "或 --format json 的报告文件）")
        docs, info = _from_parquet(source)
    elif source.is_file():
        docs, info = _from_json(source)
    else:
        raise SummaryError(f"找不到报告: {source}")
    shape = Layout(layout)
    table = MetaTable.load(meta_file) if meta_file else None
    for d, own in docs:
        _describe(d, own, shape, table)
    return Corpus([d for d, _ in docs], info)


def _describe(doc: Document, own: dict, layout: Layout, table: Optional[MetaTable]) -> None:
    """Unit, region, year: the report's metadata, then --meta-file, then the path convention;
    for the year, last of all the budget year the document states."""
    given = {k: v for k, v in own.items() if k in ("unit", "region", "year") and v not in (None, "")}
    if table is not None:
        given = {**given, **{k: v for k, v in table.get(doc.path).items() if k in ("unit", "region", "year")}}
    from_path = layout.of(doc.path)
    doc.unit = given.get("unit") or from_path.get("unit")
    doc.region = given.get("region") or from_path.get("region")
    for where, value in (("metadata", given.get("year")), ("path", from_path.get("year")),
                         ("document", own.get("budget_year"))):
        year = _year(value)
        if year is not None:
            doc.year, doc.year_from = year, where
            break


def _year(value: Any) -> Optional[int]:
    if value is None:
        return None
    text = str(value).strip().rstrip("年度").rstrip("年")
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


def _from_json(path: Path) -> tuple[list[tuple[Document, dict]], dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SummaryError(f"无法读取报告 {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), list) or "schema_version" not in data:
        raise SummaryError(f"{path} 不是 kpicheck check --format json 的报告")
    docs, info = [], {}
    for f in data["files"]:
        d = Document(path=f.get("path", ""), error=(f.get("error") or {}).get("code"),
                     projects=len(f.get("projects") or ()), indicators=len(f.get("indicators") or ()))
        for x in f.get("findings") or ():
            d.by_code[x["code"]] += 1
            d.by_severity[x["severity"]] += 1
            info[x["code"]] = (x.get("name", x["code"]), x["severity"])
        docs.append((d, {"budget_year": f.get("budget_year")}))
    return docs, info


def _from_parquet(directory: Path) -> tuple[list[tuple[Document, dict]], dict]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise SummaryError("读取 parquet 报告需要 pyarrow：pip install 'kpicheck[parquet]'") from exc
    try:
        files = pq.read_table(directory / "files.parquet")
        findings = pq.read_table(directory / "findings.parquet", columns=["file_id", "code", "name", "severity"])
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's errors derive from these
        raise SummaryError(f"无法读取 {directory} 中的 parquet 报告: {exc}") from exc
    names = set(files.column_names)
    if not {"file_id", "path", "error_code", "n_indicators"} <= names:
        raise SummaryError(f"{directory}/files.parquet 不是 kpicheck 的 files 表")
    extra = [k for k in ("unit", "region", "year") if k in names]
    columns = {k: files.column(k).to_pylist()
               for k in ["file_id", "path", "error_code", "budget_year", "n_projects", "n_indicators"] + extra}
    by_id: dict[int, Document] = {}
    docs = []
    for i, file_id in enumerate(columns["file_id"]):
        d = Document(path=columns["path"][i], error=columns["error_code"][i], projects=columns["n_projects"][i] or 0,
                     indicators=columns["n_indicators"][i] or 0)
        by_id[file_id] = d
        docs.append((d, {"budget_year": columns["budget_year"][i], **{k: columns[k][i] for k in extra}}))
    info = {}
    for file_id, code, name, sev in zip(*(findings.column(k).to_pylist() for k in ("file_id", "code", "name", "severity"))):
        d = by_id.get(file_id)
        if d is not None:
            d.by_code[code] += 1
            d.by_severity[sev] += 1
            info[code] = (name, sev)
    return docs, info
