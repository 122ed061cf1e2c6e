"""The HTML report in a real headless browser (Debian's chromium; `.ci/install-browser`).

`--dump-dom` gives the page after its scripts ran, so these assertions see what a reviewer sees:
the finding count the filters computed, the highlighted cells, and a filter preset from the URL.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kpicheck.api import check_file
from kpicheck.report import render
from kpicheck_samples import sample_report

SEED = Path(__file__).parent.parent / "seeds" / "000_ef8236a379d28a74.txt"
BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium: run .ci/install-browser")


def rendered_dom(page: Path, tmp_path: Path, fragment: str = "") -> str:
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri() + fragment]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'data-ready="1"' in done.stdout, "the page script did not run"
    return done.stdout


def shown(dom: str) -> int:
    return int(re.search(r'id="shown-count"[^>]*data-shown="(\d+)"', dom).group(1))


def test_seed_report_in_the_browser(tmp_path):
    report = check_file(SEED)
    page = tmp_path / "seed.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    dom = rendered_dom(page, tmp_path)
    total = report.summary.findings
    assert shown(dom) == total
    assert f"显示 {total} / {total} 个问题" in dom
    on_rows = sum(1 for f in report.files for x in f.findings
                  if x.indicator_id in {i.id for i in f.indicators})
    highlighted = len(re.findall(r'<td class="defect sev-(?:error|warning|info)"', dom))
    assert (highlighted > 0) == (on_rows > 0)
    assert dom.count('class="indicator"') == report.summary.indicators


def test_sample_report_highlights_and_filters(tmp_path):
    page = tmp_path / "sample.html"
    page.write_text(render(sample_report(), "html"), encoding="utf-8")
    dom = rendered_dom(page, tmp_path)
    assert shown(dom) == 4 and "显示 4 / 4 个问题" in dom
    assert re.search(r'<td class="defect sev-error" data-codes="KPI301">≤90%</td>', dom)
    only_errors = rendered_dom(page, tmp_path, "#sev=error&only")
    assert shown(only_errors) == 2 and "显示 2 / 4 个问题" in only_errors
    # the warning's cell is no longer lit, and rows without a shown finding are hidden
    assert re.search(r'<td class="defect sev-warning defect-off" data-codes="KPI201">', only_errors)
    assert len(re.findall(r'<tr class="indicator hidden"', only_errors)) == 3


def test_self_evaluation_cells_in_the_browser(tmp_path):
    from test_report_selfeval import selfeval_report

    report = selfeval_report()
    page = tmp_path / "selfeval.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    dom = rendered_dom(page, tmp_path)
    total = report.summary.findings
    assert shown(dom) == total and 'data-fam="KPI8"' in dom and "自评一致性" in dom
    # the score of a missed target kept at full marks, and the funds rate above 100%, lit
    assert re.search(r'<td class="defect sev-error" data-codes="KPI803">10</td>', dom)
    assert re.search(r'<td class="defect sev-warning" data-codes="KPI608">102.59%</td>', dom)
    # errors only: the warning cells go dark, and the funds row (warning only) is hidden
    errors = rendered_dom(page, tmp_path, "#sev=error&only")
    assert shown(errors) == report.summary.by_severity.get("error", 0)
    assert re.search(r'<td class="defect sev-warning defect-off" data-codes="KPI608">', errors)
    assert re.search(r'<tr class="funds-row hidden" id="[^"]*-F0"', errors)
    assert dom.count('class="indicator"') == report.summary.indicators
