"""`kpicheck summary`: a whole corpus at a glance, from a report already written (a `--format
parquet` directory or a `--format json` file): counts per rule, family, severity, unit, region
and year, the documents ranked by defects, and a year-on-year comparison; rendered as one
offline HTML page with charts (`summary.html`) or as a workbook (`summary.xlsx`).

Unit, region and year are never read from a document's words (`kpicheck.meta`): they come from
the report's own metadata columns (`--meta`, `--meta-file`, `--layout` at check time), from a
`--meta-file` or `--layout` given here, or, for the year alone, from the budget year the
document states (`budget_year` in the report) when nothing else gives one.
"""
from __future__ import annotations

from kpicheck.summary.corpus import SEVERITIES, UNKNOWN, Corpus, Document, SummaryError, load
from kpicheck.summary.tables import L, Table, compared_years, tables, years_of

__all__ = ["L", "SEVERITIES", "UNKNOWN", "Corpus", "Document", "SummaryError", "Table", "compared_years", "load",
           "tables", "years_of"]
