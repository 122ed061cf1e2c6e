"""The summary's tables, computed once for the page and the workbook: overview, severities,
families, rules, regions, units, years, year on year, documents ranked."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from kpicheck.summary.corpus import SEVERITIES, UNKNOWN, Corpus, Document, SummaryError


@dataclass
class Table:
    key: str  # "rules", "units"...: a sheet name in the workbook, an anchor on the page
    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""


L = {
    "zh": {
        "overview": "概览", "rules": "按规则", "families": "按规则类别", "severities": "按级别", "units": "按单位",
        "regions": "按地区", "years": "按年度", "documents": "文件排名（按问题）", "yoy": "同比（{a} → {b}）",
        "yoy_units": "单位同比（{a} → {b}）",
        "what": "项目", "value": "数值", "docs": "文件数", "unreadable": "无法读取的文件", "projects": "项目数",
        "indicators": "指标数", "findings": "问题数", "per_doc": "每份文件问题数", "with_errors": "有错误的文件",
        "share_errors": "有错误的文件占比", "rule": "规则", "name": "名称", "family": "类别", "severity": "级别",
        "docs_hit": "涉及文件数", "share_docs": "涉及文件占比", "error": "错误", "warning": "警告", "info": "提示",
        "total": "合计", "unit": "单位", "region": "地区", "year": "年度", "path": "文件", "rank": "名次",
        "change": "变化", "change_pct": "变化率", "year_from": "年度来源",
        "from": {"metadata": "元数据", "path": "路径", "document": "文件所述预算年度", "": "无"},
        "year_note": "年度取自调用方元数据、路径约定，或（二者皆无时）文件自述的预算年度；单位与地区只取自元数据或路径约定。",
    },
    "en": {
        "overview": "Overview", "rules": "By rule", "families": "By family", "severities": "By severity",
        "units": "By unit", "regions": "By region", "years": "By year", "documents": "Documents ranked by defects",
        "yoy": "Year on year ({a} → {b})", "yoy_units": "Units year on year ({a} → {b})",
        "what": "what", "value": "value", "docs": "documents", "unreadable": "unreadable documents",
        "projects": "projects", "indicators": "indicators", "findings": "findings", "per_doc": "findings per document",
        "with_errors": "documents with errors", "share_errors": "share of documents with errors", "rule": "rule",
        "name": "name", "family": "family", "severity": "severity", "docs_hit": "documents hit",
        "share_docs": "share of documents", "error": "error", "warning": "warning", "info": "info", "total": "total",
        "unit": "unit", "region": "region", "year": "year", "path": "document", "rank": "rank", "change": "change",
        "change_pct": "change %", "year_from": "year from",
        "from": {"metadata": "metadata", "path": "path", "document": "document's budget year", "": "none"},
        "year_note": "Years come from the caller's metadata, the path convention, or (failing both) the budget "
                     "year the document states; units and regions only from metadata or the path convention.",
    },
}


def _rate(findings: int, docs: int) -> float:
    return round(findings / docs, 2) if docs else 0.0


def _readable(docs: Iterable[Document]) -> list[Document]:
    return [d for d in docs if not d.error]


def overview(corpus: Corpus, lang: str = "zh") -> Table:
    t = L[lang]
    docs = corpus.documents
    ok = _readable(docs)
    findings = sum(d.findings for d in ok)
    with_errors = sum(1 for d in ok if d.by_severity["error"])
    sev = Counter()
    for d in ok:
        sev.update(d.by_severity)
    rows = [[t["docs"], len(docs)], [t["unreadable"], len(docs) - len(ok)],
            [t["projects"], sum(d.projects for d in ok)], [t["indicators"], sum(d.indicators for d in ok)],
            [t["findings"], findings]] + [[t[s], sev[s]] for s in SEVERITIES] + [
            [t["per_doc"], _rate(findings, len(ok))], [t["with_errors"], with_errors],
            [t["share_errors"], round(with_errors / len(ok), 3) if ok else 0.0]]
    return Table("overview", t["overview"], [t["what"], t["value"]], rows, t["year_note"])


def by_rule(corpus: Corpus, lang: str = "zh") -> Table:
    from kpicheck.report.common import family_label, rule_meta, severity_label

    t = L[lang]
    ok = _readable(corpus.documents)
    count, hit = Counter(), Counter()
    for d in ok:
        count.update(d.by_code)
        hit.update(d.by_code.keys())
    rows = []
    for code, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0])):
        name, sev = corpus.rule_info.get(code, (code, "warning"))
        meta = rule_meta(code, None, lang)
        rows.append([code, meta.name if meta.name != code else name, family_label(code, lang),
                     severity_label(sev, lang), n, hit[code], round(hit[code] / len(ok), 3) if ok else 0.0])
    return Table("rules", t["rules"], [t["rule"], t["name"], t["family"], t["severity"], t["findings"],
                                       t["docs_hit"], t["share_docs"]], rows)


def by_family(corpus: Corpus, lang: str = "zh") -> Table:
    from kpicheck.report.common import family_label, family_of

    t = L[lang]
    counts: dict[str, Counter] = {}
    for d in _readable(corpus.documents):
        for code, n in d.by_code.items():
            sev = corpus.rule_info.get(code, (code, "warning"))[1]
            counts.setdefault(family_of(code), Counter())[sev] += n
    rows = [[fam, family_label(fam + "00", lang)] + [c[s] for s in SEVERITIES] + [sum(c.values())]
            for fam, c in sorted(counts.items())]
    return Table("families", t["families"], [t["family"], t["name"]] + [t[s] for s in SEVERITIES] + [t["total"]], rows)


def by_severity(corpus: Corpus, lang: str = "zh") -> Table:
    from kpicheck.report.common import severity_label

    t = L[lang]
    ok = _readable(corpus.documents)
    rows = [[severity_label(s, lang), sum(d.by_severity[s] for d in ok), sum(1 for d in ok if d.by_severity[s])]
            for s in SEVERITIES]
    return Table("severities", t["severities"], [t["severity"], t["findings"], t["docs_hit"]], rows)


def _group(corpus: Corpus, key) -> list[tuple[Any, list[Any]]]:
    """(key, [documents, unreadable, findings, errors, warnings, infos, per document, with errors])."""
    groups: dict[Any, list[Document]] = {}
    for d in corpus.documents:
        groups.setdefault(key(d), []).append(d)
    out = []
    for name, docs in groups.items():
        ok = _readable(docs)
        findings = sum(d.findings for d in ok)
        out.append((name, [len(docs), len(docs) - len(ok), findings]
                    + [sum(d.by_severity[s] for d in ok) for s in SEVERITIES]
                    + [_rate(findings, len(ok)), sum(1 for d in ok if d.by_severity["error"])]))
    return out


def _stats_headers(lang: str) -> list[str]:
    t = L[lang]
    return [t["docs"], t["unreadable"], t["findings"]] + [t[s] for s in SEVERITIES] + [t["per_doc"], t["with_errors"]]


def _known(value: Any, lang: str) -> Any:
    return UNKNOWN[lang] if value is None else value


def by_unit(corpus: Corpus, lang: str = "zh") -> Table:
    """Units, the most findings per document first."""
    t = L[lang]
    rows = [[_known(unit, lang), _known(region, lang)] + stats
            for (unit, region), stats in _group(corpus, lambda d: (d.unit, d.region))]
    rows.sort(key=lambda r: (-r[8], -r[4], str(r[0])))
    return Table("units", t["units"], [t["unit"], t["region"]] + _stats_headers(lang), rows)


def by_region(corpus: Corpus, lang: str = "zh") -> Table:
    t = L[lang]
    rows = [[_known(region, lang)] + stats for region, stats in _group(corpus, lambda d: d.region)]
    rows.sort(key=lambda r: (-r[7], -r[3], str(r[0])))
    return Table("regions", t["regions"], [t["region"]] + _stats_headers(lang), rows)


def by_year(corpus: Corpus, lang: str = "zh") -> Table:
    t = L[lang]
    groups = sorted(_group(corpus, lambda d: d.year), key=lambda kv: (kv[0] is None, kv[0] or 0))
    rows = [[_known(year, lang)] + stats for year, stats in groups]
    sources = {}
    for d in corpus.documents:
        sources.setdefault(d.year if d.year is not None else UNKNOWN[lang], Counter())[d.year_from] += 1
    for row in rows:
        row.append("，".join(f"{t['from'][k]} {n}" for k, n in sorted(sources[row[0]].items())))
    return Table("years", t["years"], [t["year"]] + _stats_headers(lang) + [t["year_from"]], rows)


def ranked(corpus: Corpus, lang: str = "zh", top: Optional[int] = None) -> Table:
    t = L[lang]
    docs = sorted(_readable(corpus.documents), key=lambda d: (-d.by_severity["error"], -d.by_severity["warning"],
                                                               -d.findings, d.path))
    rows = [[k, d.path, d.unit or UNKNOWN[lang], d.region or UNKNOWN[lang], d.year or UNKNOWN[lang]]
            + [d.by_severity[s] for s in SEVERITIES] + [d.findings, d.indicators]
            for k, d in enumerate(docs[:top] if top else docs, 1)]
    return Table("documents", t["documents"], [t["rank"], t["path"], t["unit"], t["region"], t["year"]]
                 + [t[s] for s in SEVERITIES] + [t["findings"], t["indicators"]], rows)


def years_of(corpus: Corpus) -> list[int]:
    return sorted({d.year for d in corpus.documents if d.year is not None})


def compared_years(corpus: Corpus, years: Optional[tuple[int, int]] = None) -> Optional[tuple[int, int]]:
    """The two years to compare: those given, else the last two the corpus has (None if fewer)."""
    if years:
        present = set(years_of(corpus))
        missing = [y for y in years if y not in present]
        if missing:
            raise SummaryError(f"报告中没有 {', '.join(map(str, missing))} 年的文件（有: "
                               f"{', '.join(map(str, sorted(present))) or '无'}）")
        return years
    known = years_of(corpus)
    return (known[-2], known[-1]) if len(known) >= 2 else None


def _change(a: float, b: float) -> list[Any]:
    return [round(b - a, 2), round((b - a) / a, 3) if a else None]


def year_on_year(corpus: Corpus, years: tuple[int, int], lang: str = "zh") -> Table:
    """Per family and per rule: findings per readable document in each year, and the change
    (rates, not counts: the two years rarely have as many documents)."""
    from kpicheck.report.common import family_label, family_of

    t = L[lang]
    a, b = years
    docs = {y: _readable(d for d in corpus.documents if d.year == y) for y in years}
    rows = []
    for grouping in ("family", "rule"):
        counts = {y: Counter() for y in years}
        for y in years:
            for d in docs[y]:
                for code, n in d.by_code.items():
                    counts[y][family_of(code) if grouping == "family" else code] += n
        for key in sorted(set(counts[a]) | set(counts[b])):
            label = family_label(key + "00", lang) if grouping == "family" else corpus.rule_info.get(key, (key, ""))[0]
            ra, rb = _rate(counts[a][key], len(docs[a])), _rate(counts[b][key], len(docs[b]))
            rows.append([key, label, counts[a][key], counts[b][key], ra, rb] + _change(ra, rb))
    total_a = sum(d.findings for d in docs[a])
    total_b = sum(d.findings for d in docs[b])
    ra, rb = _rate(total_a, len(docs[a])), _rate(total_b, len(docs[b]))
    rows.insert(0, [t["total"], f"{t['docs']} {len(docs[a])} → {len(docs[b])}", total_a, total_b, ra, rb] + _change(ra, rb))
    headers = [t["rule"] + "/" + t["family"], t["name"], f"{t['findings']} {a}", f"{t['findings']} {b}",
               f"{t['per_doc']} {a}", f"{t['per_doc']} {b}", t["change"], t["change_pct"]]
    return Table("yoy", t["yoy"].format(a=a, b=b), headers, rows)


def units_year_on_year(corpus: Corpus, years: tuple[int, int], lang: str = "zh") -> Table:
    """Units with readable documents in both years: findings per document then and now."""
    t = L[lang]
    a, b = years
    per: dict[tuple, dict[int, list[Document]]] = {}
    for d in _readable(corpus.documents):
        if d.year in years and d.unit is not None:
            per.setdefault((d.unit, d.region), {a: [], b: []})[d.year].append(d)
    rows = []
    for (unit, region), by in per.items():
        if by[a] and by[b]:
            ra = _rate(sum(d.findings for d in by[a]), len(by[a]))
            rb = _rate(sum(d.findings for d in by[b]), len(by[b]))
            rows.append([unit, region or UNKNOWN[lang], len(by[a]), len(by[b]), ra, rb] + _change(ra, rb))
    rows.sort(key=lambda r: (r[6], r[0]))
    headers = [t["unit"], t["region"], f"{t['docs']} {a}", f"{t['docs']} {b}", f"{t['per_doc']} {a}",
               f"{t['per_doc']} {b}", t["change"], t["change_pct"]]
    return Table("yoy_units", t["yoy_units"].format(a=a, b=b), headers, rows)


def tables(corpus: Corpus, lang: str = "zh", years: Optional[tuple[int, int]] = None,
           top: Optional[int] = None) -> list[Table]:
    """Every table of the summary, in the order the page and the workbook show them."""
    out = [overview(corpus, lang), by_severity(corpus, lang), by_family(corpus, lang), by_rule(corpus, lang),
           by_region(corpus, lang), by_unit(corpus, lang), by_year(corpus, lang)]
    pair = compared_years(corpus, years)
    if pair:
        out += [year_on_year(corpus, pair, lang), units_year_on_year(corpus, pair, lang)]
    out.append(ranked(corpus, lang, top))
    return out
