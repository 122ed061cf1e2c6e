"""Baselines: suppress known findings in documents that cannot carry `noqa` comments.

A baseline is a JSON file of entries, each a fingerprint of (rule code, document name, indicator
name and value text) with a human reason. Line numbers are left out on purpose, so an entry
survives edits elsewhere in the document; whitespace is ignored for the same reason. Entries that
no longer match anything in a checked document are *stale* and reported, so the file shrinks as
documents are fixed.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Iterable, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kpicheck.models import FileReport, Finding

BASELINE_VERSION = 1
DEFAULT_REASON = "已知问题，写入基线时未说明原因"


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the CLI turns it into exit code 2."""


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fingerprint: str
    code: str
    document: str
    project: Optional[str] = None
    indicator: Optional[str] = None
    value: Optional[str] = None
    reason: str = Field(min_length=1)


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kpicheck_baseline: int = BASELINE_VERSION
    entries: list[BaselineEntry] = Field(default_factory=list)


def document_name(path: str) -> str:
    """The file name alone, so a baseline survives moving the documents to another folder."""
    return PureWindowsPath(path).name if "\\" in path else Path(path).name


def _squash(text: Optional[str]) -> str:
    return re.sub(r"\s+", "", text or "")


def fingerprint(path: str, finding: Finding) -> str:
    """Stable id of a finding: rule + document + indicator name and value (or project)."""
    ind = finding.indicator or {}
    subject = _indicator_subject(ind.get("name"), ind.get("value")) if ind else _project_subject(finding.project)
    return _hash(finding.code, document_name(path), subject)


def _indicator_subject(name: Optional[str], value: Optional[str]) -> str:
    return f"{_squash(name)}\x1f{_squash(value)}"


def _project_subject(project: Optional[str]) -> str:
    return f"project\x1f{_squash(project)}"


def _hash(code: str, document: str, subject: str) -> str:
    key = "\x1e".join((code, document, subject))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _redirected(entry: BaselineEntry) -> BaselineEntry:
    """An entry written under a code that has since moved (KPI808 -> KPI608, `rules.base.REDIRECTS`)
    as the entry of its successor, when its fingerprint is the one its own fields give (anything
    else is left alone, and shows up as stale)."""
    from kpicheck.rules.base import REDIRECTS

    now = REDIRECTS.get(entry.code.upper())
    if now is None:
        return entry
    for subject in (_indicator_subject(entry.indicator, entry.value), _project_subject(entry.project)):
        if _hash(entry.code, entry.document, subject) == entry.fingerprint:
            return entry.model_copy(update={"code": now, "fingerprint": _hash(now, entry.document, subject)})
    return entry


def load(path: str | Path) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BaselineError(f"找不到基线文件: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"无法读取基线文件 {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"基线文件 {path} 不是有效的 JSON: {exc}") from None
    try:
        baseline = Baseline.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise BaselineError(f"基线文件 {path} 格式不对: {where}: {first['msg']}") from None
    return baseline.model_copy(update={"entries": [_redirected(e) for e in baseline.entries]})


def build(files: Iterable[FileReport], reason: str = DEFAULT_REASON,
          previous: Optional[Baseline] = None) -> Baseline:
    """A baseline of every finding in `files`; reasons already written in `previous` are kept."""
    kept = {e.fingerprint: e.reason for e in (previous.entries if previous else [])}
    entries: dict[str, BaselineEntry] = {}
    for f in files:
        for x in f.findings:
            fp = fingerprint(f.path, x)
            if fp in entries:
                continue
            ind = x.indicator or {}
            entries[fp] = BaselineEntry(fingerprint=fp, code=x.code, document=document_name(f.path),
                                        project=x.project, indicator=ind.get("name"),
                                        value=ind.get("value"), reason=kept.get(fp, reason))
    ordered = sorted(entries.values(), key=lambda e: (e.document, e.project or "", e.code,
                                                      e.indicator or "", e.fingerprint))
    return Baseline(entries=ordered)


def save(baseline: Baseline, path: str | Path) -> None:
    text = json.dumps(baseline.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"无法写入基线文件 {path}: {exc.strerror or exc}") from None


@dataclass
class Applied:
    suppressed: int = 0
    stale: list[BaselineEntry] = field(default_factory=list)


def apply(files: list[FileReport], baseline: Baseline) -> Applied:
    """Drop the findings the baseline covers (in place); report entries that matched nothing
    in a document that was checked (documents not checked this run are not judged)."""
    known = {e.fingerprint for e in baseline.entries}
    used: set[str] = set()
    result = Applied()
    checked = set()
    for f in files:
        if f.error:
            continue
        checked.add(document_name(f.path))
        kept = []
        for x in f.findings:
            fp = fingerprint(f.path, x)
            if fp in known:
                used.add(fp)
                result.suppressed += 1
            else:
                kept.append(x)
        f.findings = kept
    result.stale = [e for e in baseline.entries if e.document in checked and e.fingerprint not in used]
    return result
