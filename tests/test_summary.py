"""`kpicheck summary`: the corpus tables from a parquet directory and from a JSON report agree
with the report they summarise; unit, region and year come from the path convention or the
caller's metadata; the workbook holds the same tables; bad input exits 2."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from kpicheck.summary import load, tables  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
KPICHECK = [sys.executable, "-m", "kpicheck"]
LAYOUT = "{region}/{year}/{unit}"
# where each seed goes: region/year/unit
PLACES = ["湖南/2023/财政局", "湖南/2023/财政局", "湖南/2024/财政局", "广东/2024/教育局", "广东/2024/教育局"]


def kpicheck(*args, cwd=None):
    return subprocess.run(KPICHECK + [str(a) for a in args], capture_output=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Five seeds filed by region, year and unit, one unreadable file; checked to parquet and JSON."""
    tmp = tmp_path_factory.mktemp("summary")
    docs = tmp / "docs"
    for seed, place in zip(SEEDS, PLACES):
        (docs / place).mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, docs / place / seed.name)
    (docs / "广东/2024/教育局/broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    assert kpicheck("check", docs, "--format", "parquet", "-o", tmp / "tables", "--isolated").returncode == 2
    done = kpicheck("check", docs, "--format", "json", "--isolated")
    (tmp / "report.json").write_bytes(done.stdout)
    return tmp, json.loads(done.stdout)


def test_parquet_and_json_give_the_same_tables(corpus):
    tmp, _ = corpus
    from_parquet = tables(load(tmp / "tables", LAYOUT))
    from_json = tables(load(tmp / "report.json", LAYOUT))
    assert [(t.key, t.headers, t.rows) for t in from_parquet] == [(t.key, t.headers, t.rows) for t in from_json]


def test_counts_agree_with_the_report(corpus):
    tmp, report = corpus
    got = {t.key: t for t in tables(load(tmp / "tables", LAYOUT))}
    files = report["files"]
    assert {r[0]: r[4] for r in got["rules"].rows} == report["summary"]["by_code"]
    overview = dict(got["overview"].rows)
    assert overview["文件数"] == 6 and overview["无法读取的文件"] == 1
    assert overview["问题数"] == report["summary"]["findings"]

    def findings_in(prefix: str) -> int:
        return sum(len(f["findings"]) for f in files if prefix in f["path"])

    regions = {r[0]: r for r in got["regions"].rows}
    assert regions["湖南"][1:4] == [3, 0, findings_in("/湖南/")]
    assert regions["广东"][1:4] == [3, 1, findings_in("/广东/")]
    units = {(r[0], r[1]): r for r in got["units"].rows}
    assert set(units) == {("财政局", "湖南"), ("教育局", "广东")}
    years = {r[0]: r for r in got["years"].rows}
    assert years[2023][1] == 2 and years[2024][1] == 4 and years[2024][-1] == "路径 4"
    # the documents ranked: errors first, then warnings
    ranked = [(r[5], r[6]) for r in got["documents"].rows]
    assert ranked == sorted(ranked, reverse=True) and len(ranked) == 5


def test_year_on_year(corpus):
    tmp, report = corpus
    got = {t.key: t for t in tables(load(tmp / "tables", LAYOUT))}
    assert got["yoy"].title == "同比（2023 → 2024）"
    per_year = {2023: Counter(), 2024: Counter()}
    docs = Counter()
    for f in report["files"]:
        if not f["error"]:
            year = 2023 if "/2023/" in f["path"] else 2024
            docs[year] += 1
            per_year[year].update(x["code"][:4] for x in f["findings"])
    for row in got["yoy"].rows[1:]:
        if len(row[0]) == 4:  # a family
            assert row[2:6] == [per_year[2023][row[0]], per_year[2024][row[0]],
                                round(per_year[2023][row[0]] / docs[2023], 2),
                                round(per_year[2024][row[0]] / docs[2024], 2)]
    # 财政局 has documents in both years, 教育局 only in 2024
    assert [r[0] for r in got["yoy_units"].rows] == ["财政局"]
    assert {t.key for t in tables(load(tmp / "tables", LAYOUT), years=(2024, 2023))} >= {"yoy"}


def test_without_a_layout_only_the_year_is_read_from_the_path(corpus):
    tmp, _ = corpus
    corpus_ = load(tmp / "report.json")
    assert {d.year for d in corpus_.documents} == {2023, 2024}
    assert all(d.unit is None and d.region is None for d in corpus_.documents)


def test_a_meta_file_wins_over_the_path(corpus, tmp_path):
    tmp, report = corpus
    first = report["files"][0]["path"]
    meta = tmp_path / "meta.csv"
    meta.write_text(f"path,region,year\n{first},湖北,2022\n", encoding="utf-8")
    docs = load(tmp / "tables", LAYOUT, meta).documents
    assert (docs[0].region, docs[0].year, docs[0].year_from) == ("湖北", 2022, "metadata")
    assert (docs[1].region, docs[1].year_from) == (Path(docs[1].path).parts[-4], "path")


def test_the_year_a_document_states_is_the_last_resort(tmp_path):
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    done = kpicheck("check", tmp_path / "a.txt", "--format", "json", "--isolated")
    report = json.loads(done.stdout)
    (tmp_path / "r.json").write_bytes(done.stdout)
    doc = load(tmp_path / "r.json").documents[0]
    stated = report["files"][0]["budget_year"]
    assert (doc.year, doc.year_from) == ((stated, "document") if stated else (None, ""))


def test_cli_writes_html_and_xlsx(corpus, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("plotly")
    tmp, report = corpus
    page = tmp_path / "summary.html"
    done = kpicheck("summary", tmp / "tables", "-o", page, "--layout", LAYOUT)
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert 'id="chart-rules"' in html and "同比（2023 → 2024）" in html
    assert not fetched(html)  # nothing to fetch: it works offline
    book = tmp_path / "summary.xlsx"
    done = kpicheck("summary", tmp / "report.json", "--format", "xlsx", "-o", book, "--layout", LAYOUT)
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(book)
    assert {"概览", "规则", "地区", "单位", "年度", "同比", "文件排名"} <= set(wb.sheetnames)
    rules = {r[0]: r[4] for r in wb["规则"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert rules == report["summary"]["by_code"]
    assert wb["规则"]._charts and wb["类别"]._charts


def fetched(html: str) -> list[str]:
    """What the page's own elements would load (scripts, styles, images, frames)."""
    from html.parser import HTMLParser

    found = []

    class Loads(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            for key in ("src", "href") if tag in ("script", "link", "img", "iframe") else ():
                if attrs.get(key):
                    found.append(attrs[key])

    Loads().feed(html)
    return found


@pytest.mark.parametrize("args, message", [
    (["missing.json"], "找不到报告"),
    (["{notreport}"], "不是 kpicheck"),
    (["{emptydir}"], "files.parquet"),
    (["{report}", "--years", "2019,2020"], "没有 2019, 2020"),
    (["{report}", "--years", "2023"], "--years"),
    (["{report}", "--layout", "省/{year}"], "--layout"),
    (["{report}", "--format", "pdf"], "--format"),
])
def test_bad_input_exits_2(corpus, tmp_path, args, message):
    tmp, _ = corpus
    (tmp_path / "not.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "empty").mkdir()
    subs = {"{notreport}": tmp_path / "not.json", "{emptydir}": tmp_path / "empty", "{report}": tmp / "report.json"}
    done = kpicheck("summary", *[subs.get(a, a) for a in args], "-o", tmp_path / "x.html", cwd=tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err and "Traceback" not in err
