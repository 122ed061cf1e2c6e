"""`--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps, IDEs).

One run; `tool.driver.rules` carries every registered rule (id, name, descriptions, help text,
default level) plus any code seen only in findings; each result points at its file with a region
whose lines and columns count from 1. Unreadable files become tool execution notifications.
"""
from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Optional
from urllib.parse import quote

from kpicheck.models import Report
from kpicheck.report.common import RenderOptions, line_col, location, rule_meta

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/kpicheck/kpicheck"


def artifact_uri(path: str) -> str:
    return quote(PurePosixPath(path.replace("\\", "/")).as_posix(), safe="/:")


def _rules(report: Report, lang: str) -> list[dict]:
    from kpicheck.rules import REGISTRY

    sample = {x.code: x for f in report.files for x in f.findings}
    out = []
    for code in sorted(set(REGISTRY) | set(sample)):
        meta = rule_meta(code, sample.get(code), lang)
        short = meta.summary if lang == "zh" else meta.summary_en
        out.append({
            "id": code,
            "name": meta.name,
            "shortDescription": {"text": short},
            "fullDescription": {"text": f"{short} {meta.why}".strip()},
            "help": {"text": meta.help},
            "defaultConfiguration": {"level": LEVEL.get(meta.severity, "warning")},
            "properties": {"tags": [code[:4]]},
        })
    return out


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    from kpicheck.baseline import fingerprint

    opts = opts or RenderOptions()
    rules = _rules(report, opts.lang)
    index = {r["id"]: n for n, r in enumerate(rules)}
    fix = "建议：" if opts.lang == "zh" else "Fix: "
    results = []
    notifications = []
    for f in report.files:
        uri = artifact_uri(f.path)
        if f.error:
            notifications.append({
                "level": "error",
                "message": {"text": f"{f.path}: {f.error.message}"},
                "descriptor": {"id": f.error.code},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            })
        for x in f.findings:
            ind = x.indicator or {}
            text = (f"{ind.get('name', '')} = {ind.get('value', '')}: " if ind else "") + x.message
            if x.suggestion:
                text += f" {fix}{x.suggestion}"
            physical: dict = {"artifactLocation": {"uri": uri}}
            line, col = line_col(x)
            if line is not None and line >= 1:
                physical["region"] = {"startLine": line, "startColumn": max(col or 1, 1)}
            result = {
                "ruleId": x.code,
                "ruleIndex": index[x.code],
                "level": LEVEL[x.severity],
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {"kpicheck/v1": fingerprint(f.path, x)},
                "properties": {"location": location(x), "project": x.project,
                               "indicator": ind or None},
            }
            if x.fix:
                result["properties"]["fix"] = x.fix
            results.append(result)
    run = {
        "tool": {"driver": {"name": "kpicheck", "version": report.tool.version,
                            "informationUri": INFO_URI, "rules": rules}},
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": results,
    }
    sarif = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"
