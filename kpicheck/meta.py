"""What a caller knows about a document that the document itself does not settle: its unit
(单位), region (地区), year, or any other key. kpicheck never guesses these from a document's
words; they come from the caller, in three ways, the more specific winning:

1. a path convention: `--layout "{region}/{year}/{unit}"` names the directories that hold each
   file, counted from the file upwards (`*` skips one); without a layout only the year is read
   from the path, from the nearest directory named as a year (`2024`, `2024年`, `2024年度`);
2. `--meta KEY=VALUE`: the same value for every file of the run;
3. `--meta-file FILE.csv`: one row per document, a `path` column and one column per key
   (UTF-8, with or without BOM); a path is matched as the report shows it, or as an absolute
   path (relative paths in the file are taken from the file's directory).
"""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Iterable, Mapping, Optional

KEY = re.compile(r"^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*$")
YEAR_DIR = re.compile(r"^((?:19|20)\d\d)(?:年度?)?$")
FIELD = re.compile(r"^\{(\w+)\}$")


class MetaError(ValueError):
    """Metadata that cannot be used (a bad --meta, --meta-file or --layout): exit 2."""


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """`--meta region=湖南 --meta year=2024` → {"region": "湖南", "year": "2024"}."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not KEY.match(key):
            raise MetaError(f"--meta 需要 KEY=VALUE 的形式（KEY 为字母、数字、下划线或汉字）: '{pair}'")
        out[key] = value.strip()
    return out


def _normal(path: str) -> str:
    return os.path.normcase(os.path.normpath(path))


class MetaTable:
    """Per-document metadata read from a CSV file, looked up by path."""

    def __init__(self, keys: tuple[str, ...] = (), rows: Optional[dict[str, dict[str, str]]] = None) -> None:
        self.keys, self.rows = keys, rows or {}

    @classmethod
    def load(cls, path: Path) -> "MetaTable":
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                header = [h.strip() for h in reader.fieldnames or []]
                if "path" not in header:
                    raise MetaError(f"{path}: 元数据文件需要 path 列（表头: {', '.join(header) or '无'}）")
                bad = [h for h in header if h != "path" and not KEY.match(h)]
                if bad:
                    raise MetaError(f"{path}: 无效的列名 {', '.join(bad)}")
                keys = tuple(h for h in header if h != "path")
                rows = {}
                for line in reader:
                    record = {k.strip(): (v or "").strip() for k, v in line.items() if k is not None}
                    doc = record.pop("path")
                    if not doc:
                        continue
                    values = {k: v for k, v in record.items() if v}
                    rows[_normal(doc)] = values
                    absolute = doc if os.path.isabs(doc) else os.path.join(os.path.dirname(os.path.abspath(path)), doc)
                    rows.setdefault(_normal(absolute), values)
        except OSError as exc:
            raise MetaError(f"无法读取元数据文件 {path}: {exc.strerror or exc}") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise MetaError(f"元数据文件 {path} 不是 UTF-8 CSV: {exc}") from exc
        return cls(keys, rows)

    def get(self, path: str) -> dict[str, str]:
        found = self.rows.get(_normal(path))
        if found is None and "://" not in path:
            found = self.rows.get(_normal(os.path.abspath(path)))
        return found or {}


class Layout:
    """A path convention: `{region}/{year}/{unit}` over the directories holding a file."""

    def __init__(self, template: Optional[str]) -> None:
        self.template = template
        self.fields: list[Optional[str]] = []
        if template:
            for part in template.strip("/").split("/"):
                m = FIELD.match(part.strip())
                if m:
                    self.fields.append(m.group(1))
                elif part.strip() == "*":
                    self.fields.append(None)
                else:
                    raise MetaError(f"--layout 的每一级应为 {{名称}} 或 *: '{part}'（例如 \"{{region}}/{{year}}/{{unit}}\"）")

    def of(self, path: str) -> dict[str, str]:
        parts = [p for p in re.split(r"[\\/]+", path.split("://", 1)[-1]) if p][:-1]  # directories only
        out: dict[str, str] = {}
        if self.fields:
            if len(parts) >= len(self.fields):
                for name, part in zip(self.fields, parts[len(parts) - len(self.fields):]):
                    if name:
                        out[name] = part
            if "year" in out:
                m = YEAR_DIR.match(out["year"])
                out["year"] = m.group(1) if m else out["year"]
            return out
        for part in reversed(parts):
            m = YEAR_DIR.match(part)
            if m:
                return {"year": m.group(1)}
        return out


def merged(path: str, layout: Optional[Layout] = None, common: Optional[Mapping[str, str]] = None,
           table: Optional[MetaTable] = None) -> dict[str, str]:
    """A document's metadata: the path convention, then `--meta`, then its row of `--meta-file`."""
    out = dict(layout.of(path)) if layout else {}
    out.update(common or {})
    if table is not None:
        out.update(table.get(path))
    return out


class Metadata:
    """The metadata a run records: its keys (in a stable order) and each document's values."""

    def __init__(self, layout: Optional[str] = None, pairs: Iterable[str] = (),
                 table: Optional[Path] = None) -> None:
        self.layout = Layout(layout) if layout else None
        self.common = parse_pairs(pairs)
        self.table = MetaTable.load(table) if table else None
        keys: list[str] = [f for f in (self.layout.fields if self.layout else []) if f]
        keys += list(self.common) + list(self.table.keys if self.table else ())
        self.keys = tuple(dict.fromkeys(keys))

    def of(self, path: str) -> dict[str, str]:
        return merged(path, self.layout, self.common, self.table)
