"""`--format junit`: JUnit XML, one test suite per file and one failing test case per finding,
so CI systems that show test results show the defects."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Optional

from kpicheck.models import Report
from kpicheck.report.common import RenderOptions, location, severity_label


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    opts = opts or RenderOptions()
    root = ET.Element("testsuites", name="kpicheck")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for f in report.files:
        suite = ET.SubElement(root, "testsuite", name=f.path)
        tests = failures = errors = 0
        if f.error:
            case = ET.SubElement(suite, "testcase", name="read", classname=f.path)
            err = ET.SubElement(case, "error", type=f.error.code, message=f.error.message)
            err.text = f.error.message
            tests, errors = 1, 1
        elif not f.findings:
            ET.SubElement(suite, "testcase", name="kpicheck", classname=f.path)
            tests = 1
        for x in f.findings:
            ind = x.indicator or {}
            title = f"{x.code} {location(x)}" + (f" {ind.get('name', '')}" if ind else "")
            case = ET.SubElement(suite, "testcase", name=title, classname=f.path)
            failure = ET.SubElement(case, "failure", type=f"{x.code} {x.name}",
                                    message=f"[{severity_label(x.severity, opts.lang)}] {x.message}")
            body = [f"{x.code} {x.name} ({x.severity})", f"{location(x)}"]
            if ind:
                body.append(f"{ind.get('name', '')} = {ind.get('value', '')}")
            if x.project:
                body.append(f"project: {x.project}")
            body.append(x.message)
            if x.suggestion:
                body.append(("建议：" if opts.lang == "zh" else "Fix: ") + x.suggestion)
            failure.text = "\n".join(body)
            tests += 1
            failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
