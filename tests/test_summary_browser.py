"""The summary page in a real headless browser (Debian's chromium; `.ci/install-browser`): its
inlined Plotly draws every chart, with one bar per rule, region and document shown."""
from __future__ import annotations

import re
import shutil

import pytest

pytest.importorskip("plotly")
pytest.importorskip("pyarrow")

from kpicheck.summary import load, tables  # noqa: E402
from kpicheck.summary.html import TOP, render  # noqa: E402
from test_html_browser import BROWSER, rendered_dom  # noqa: E402
from test_summary import LAYOUT, PLACES, SEEDS, kpicheck  # noqa: E402

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium: run .ci/install-browser")


def section(dom: str, key: str) -> str:
    m = re.search(rf'<section id="{key}">(.*?)</section>', dom, re.S)
    assert m, key
    return m.group(1)


def bars(dom: str, key: str) -> int:
    """Bars Plotly drew in a section's chart (one `path` per bar in a `g.point`)."""
    return len(re.findall(r'<g class="point">', section(dom, key)))


def test_summary_page_draws_its_charts(tmp_path):
    docs = tmp_path / "docs"
    for seed, place in zip(SEEDS, PLACES):
        (docs / place).mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, docs / place / seed.name)
    assert kpicheck("check", docs, "--format", "parquet", "-o", tmp_path / "tables", "--isolated").returncode in (0, 1)
    corpus = load(tmp_path / "tables", LAYOUT)
    page = tmp_path / "summary.html"
    page.write_text(render(corpus), encoding="utf-8")
    dom = rendered_dom(page, tmp_path)
    charts = int(re.search(r'data-charts="(\d+)"', dom).group(1))
    drawn = int(re.search(r'data-drawn="(\d+)"', dom).group(1))
    assert charts == drawn == page.read_text(encoding="utf-8").count('<div class="chart">') >= 8
    got = {t.key: t for t in tables(corpus)}
    assert bars(dom, "rules") == min(TOP, len(got["rules"].rows))
    assert bars(dom, "regions") == 2 and bars(dom, "units") == 2
    # the families and the documents are stacked by severity: a bar per severity and row
    assert bars(dom, "families") == 3 * len(got["families"].rows)
    assert bars(dom, "documents") == 3 * len(got["documents"].rows)
    assert bars(dom, "yoy") == 2 * len([r for r in got["yoy"].rows[1:] if len(r[0]) == 4])
    # the tables are in the page too, every row
    assert len(re.findall(r"<tr>", section(dom, "rules"))) == len(got["rules"].rows) + 1
