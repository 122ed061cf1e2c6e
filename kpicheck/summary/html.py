"""The summary as one HTML page a department head opens offline: headline figures, then a chart
per question (where do the defects fall, which rules fire most, which regions and units, how
this year compares with the last, which documents to send back first), each chart above its
table. Charts are Plotly's (`kpicheck[summary]`): its JavaScript is inlined in the page, so the
page needs no network; hovering a bar gives its figures.
"""
from __future__ import annotations

from html import escape
from typing import Any, Optional

from kpicheck.report.common import family_of
from kpicheck.summary import SEVERITIES, L, Corpus, SummaryError, Table, compared_years, tables

MISSING = "summary 的 HTML 图表需要 plotly：pip install 'kpicheck[summary]'"
COLORS = {"error": "#c0392b", "warning": "#e0a100", "info": "#3a76b5"}
YEAR_COLORS = ("#9db4cf", "#1f5f99")
TOP = 20  # bars in a chart of units, rules or documents; the tables have every row
SHARE_HEADERS = {"涉及文件占比", "有错误的文件占比", "变化率", "share of documents", "share of documents with errors",
                 "change %"}

CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1.5em auto;max-width:1200px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}
.cards{display:flex;flex-wrap:wrap;gap:.8em}.card{background:#f5f5f5;border-radius:6px;padding:.6em 1em;min-width:8em}
.card .n{font-size:1.6em;font-weight:bold}.card.error .n{color:#c0392b}.card.warning .n{color:#b8860b}
.note{color:#666;font-size:.9em}.chart{width:100%;min-height:320px}
table{border-collapse:collapse;font-size:.9em;margin:.4em 0}th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer;color:#1f5f99;margin:.3em 0}
"""

READY = """
(function(){
  var charts=document.querySelectorAll('.chart .plotly-graph-div'),drawn=0;
  charts.forEach(function(c){if(c.querySelector('svg.main-svg'))drawn++;});
  document.body.dataset.charts=charts.length;document.body.dataset.drawn=drawn;document.body.dataset.ready='1';
})();
"""


def _plotly() -> tuple[Any, Any]:
    try:
        import plotly.graph_objects as go
        import plotly.io as pio
    except ImportError as exc:
        raise SummaryError(MISSING) from exc
    return go, pio


def render(corpus: Corpus, lang: str = "zh", years: Optional[tuple[int, int]] = None, title: str = "") -> str:
    go, pio = _plotly()
    from plotly.offline import get_plotlyjs

    all_tables = tables(corpus, lang, years)
    by_key = {tb.key: tb for tb in all_tables}
    pair = compared_years(corpus, years)
    charts = _charts(go, by_key, corpus, lang, pair)
    title = title or ("绩效目标审核汇总" if lang == "zh" else "Performance-target review: corpus summary")
    parts = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{escape(title)}</title><style>{CSS}</style>",
             f"<script>{get_plotlyjs()}</script></head><body>", f"<h1>{escape(title)}</h1>",
             _cards(by_key["overview"], lang), f'<p class="note">{escape(by_key["overview"].note)}</p>']
    config = {"displaylogo": False, "responsive": True}
    for tb in all_tables:
        if tb.key == "overview":
            continue
        parts.append(f'<section id="{tb.key}"><h2>{escape(tb.title)}</h2>')
        fig = charts.get(tb.key)
        if fig is not None:
            html = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=f"chart-{tb.key}", config=config)
            parts.append(f'<div class="chart">{html}</div>')
        parts.append(f"<details{' open' if fig is None else ''}><summary>{escape(_rows_label(tb, lang))}</summary>"
                     f"{_table(tb)}</details></section>")
    parts.append(f"<script>{READY}</script></body></html>\n")
    return "".join(parts)


def _rows_label(tb: Table, lang: str) -> str:
    return f"表格（{len(tb.rows)} 行）" if lang == "zh" else f"table ({len(tb.rows)} rows)"


def _cards(tb: Table, lang: str) -> str:
    t = L[lang]
    css = {t["error"]: " error", t["warning"]: " warning"}
    cells = []
    for label, value in tb.rows:
        shown = f"{value:.0%}" if label == t["share_errors"] else f"{value:g}" if isinstance(value, float) else f"{value:,}"
        cells.append(f'<div class="card{css.get(label, "")}"><div class="n">{escape(shown)}</div>'
                     f"<div>{escape(label)}</div></div>")
    return f'<div class="cards">{"".join(cells)}</div>'


def _cell(value: Any, share: bool) -> str:
    if value is None:
        return '<td class="num">–</td>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = f"{value:.0%}" if share else f"{value:g}" if isinstance(value, float) else f"{value:,}"
        return f'<td class="num">{escape(shown)}</td>'
    return f"<td>{escape(str(value))}</td>"


def _table(tb: Table) -> str:
    shares = [h in SHARE_HEADERS for h in tb.headers]
    head = "".join(f"<th>{escape(h)}</th>" for h in tb.headers)
    body = "".join("<tr>" + "".join(_cell(v, s) for v, s in zip(row, shares)) + "</tr>" for row in tb.rows)
    return f'<table class="data" data-table="{tb.key}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# ---------------------------------------------------------------------- charts


def _layout(go: Any, n_bars: int, **extra: Any) -> Any:
    height = max(260, 60 + 26 * n_bars) if extra.pop("horizontal", False) else 360
    return go.Layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 40}, template="plotly_white",
                     font={"family": '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif'},
                     legend={"orientation": "h", "y": 1.08}, **extra)


def _charts(go: Any, by_key: dict[str, Table], corpus: Corpus, lang: str, pair: Optional[tuple[int, int]]) -> dict:
    t = L[lang]
    out = {}
    sev_names = [t[s] for s in SEVERITIES]

    fam = by_key["families"]
    if fam.rows:
        labels = [f"{r[0]} {r[1]}" for r in fam.rows][::-1]
        out["families"] = go.Figure(
            [go.Bar(name=name, y=labels, x=[r[2 + k] for r in fam.rows][::-1], orientation="h",
                    marker_color=COLORS[sev]) for k, (sev, name) in enumerate(zip(SEVERITIES, sev_names))],
            _layout(go, len(labels), barmode="stack", horizontal=True, yaxis={"automargin": True}))

    sev = by_key["severities"]
    if any(r[1] for r in sev.rows):
        out["severities"] = go.Figure(
            [go.Pie(labels=[r[0] for r in sev.rows], values=[r[1] for r in sev.rows], hole=0.45, sort=False,
                    marker={"colors": [COLORS[s] for s in SEVERITIES]})], _layout(go, 3))

    rules = by_key["rules"]
    if rules.rows:
        top = rules.rows[:TOP][::-1]
        colors = {name: COLORS[s] for s, name in zip(SEVERITIES, sev_names)}
        out["rules"] = go.Figure(
            [go.Bar(y=[f"{r[0]} {r[1]}" for r in top], x=[r[4] for r in top], orientation="h",
                    marker_color=[colors.get(r[3], "#888") for r in top],
                    customdata=[[r[5], r[2]] for r in top],
                    hovertemplate=f"%{{y}}<br>{t['findings']} %{{x}}<br>{t['docs_hit']} %{{customdata[0]}}"
                                  f"<br>%{{customdata[1]}}<extra></extra>")],
            _layout(go, len(top), horizontal=True, yaxis={"automargin": True}))

    for key, label_of in (("regions", lambda r: str(r[0])), ("units", lambda r: f"{r[0]}（{r[1]}）")):
        tb = by_key[key]
        per_doc = len(tb.headers) - 2
        if tb.rows:
            top = tb.rows[:TOP][::-1]
            docs_at = 1 if key == "regions" else 2
            out[key] = go.Figure(
                [go.Bar(y=[label_of(r) for r in top], x=[r[per_doc] for r in top], orientation="h",
                        marker_color="#1f5f99", customdata=[[r[docs_at], r[docs_at + 2]] for r in top],
                        hovertemplate=f"%{{y}}<br>{t['per_doc']} %{{x}}<br>{t['docs']} %{{customdata[0]}}"
                                      f"<br>{t['findings']} %{{customdata[1]}}<extra></extra>")],
                _layout(go, len(top), horizontal=True, yaxis={"automargin": True},
                        xaxis={"title": {"text": t["per_doc"]}}))

    years = by_key["years"]
    known = [r for r in years.rows if isinstance(r[0], int)]
    if known:
        out["years"] = go.Figure(
            [go.Bar(name=t["per_doc"], x=[str(r[0]) for r in known], y=[r[7] for r in known], marker_color="#1f5f99",
                    customdata=[[r[1]] for r in known],
                    hovertemplate=f"%{{x}}<br>{t['per_doc']} %{{y}}<br>{t['docs']} %{{customdata[0]}}<extra></extra>")],
            _layout(go, len(known), xaxis={"type": "category"}, yaxis={"title": {"text": t["per_doc"]}}))

    if pair and "yoy" in by_key:
        fams = [r for r in by_key["yoy"].rows[1:] if r[0] == family_of(r[0] + "00")]  # KPI3, not KPI301
        out["yoy"] = go.Figure(
            [go.Bar(name=str(year), x=[f"{r[0]} {r[1]}" for r in fams], y=[r[4 + k] for r in fams],
                    marker_color=YEAR_COLORS[k]) for k, year in enumerate(pair)],
            _layout(go, len(fams), barmode="group", yaxis={"title": {"text": t["per_doc"]}}))
        units = by_key["yoy_units"].rows
        if units:
            top = sorted(units, key=lambda r: r[6])[:TOP]
            out["yoy_units"] = go.Figure(
                [go.Bar(y=[f"{r[0]}（{r[1]}）" for r in top], x=[r[6] for r in top], orientation="h",
                        marker_color=["#2e7d32" if r[6] <= 0 else "#c0392b" for r in top],
                        hovertemplate=f"%{{y}}<br>{t['change']} %{{x}}<extra></extra>")],
                _layout(go, len(top), horizontal=True, yaxis={"automargin": True},
                        xaxis={"title": {"text": f"{t['per_doc']} {t['change']}"}}))

    docs = by_key["documents"]
    if docs.rows:
        top = docs.rows[:TOP][::-1]
        out["documents"] = go.Figure(
            [go.Bar(name=name, y=[f"{r[0]}. {r[1]}" for r in top], x=[r[5 + k] for r in top], orientation="h",
                    marker_color=COLORS[sev]) for k, (sev, name) in enumerate(zip(SEVERITIES, sev_names))],
            _layout(go, len(top), barmode="stack", horizontal=True, yaxis={"automargin": True}))
    return out
