"""The command line: a thin layer over `kpicheck.pipeline` and `kpicheck.report`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from kpicheck.config import DEFAULT_CONFIG, Config
from kpicheck.models import FileError, FileReport
from kpicheck.pipeline import process_path
from kpicheck.read import SUPPORTED_SUFFIXES
from kpicheck.report import build_report

app = typer.Typer(add_completion=False, no_args_is_help=True, help="kpicheck: 绩效目标表检查工具")

FAIL_LEVELS = {"info": 0, "warning": 1, "error": 2}
SEV_LEVEL = {"info": 0, "warning": 1, "error": 2}


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given; directories recursively by known extension; globs expanded."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED_SUFFIXES))
        elif any(ch in raw for ch in "*?[") and not p.exists():
            out.extend(sorted(Path().glob(raw)))
        else:
            out.append(p)
    return out


def _run(paths: list[str], config: Config, rules: bool) -> list[FileReport]:
    files: list[FileReport] = []
    for path in expand_paths(paths):
        files.append(process_path(path, config, rules=rules))
    if not paths:
        files.append(FileReport(path="-", error=FileError(code="no-input", message="没有给出要检查的文件")))
    return files


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="files or directories to check"),
    output_format: str = typer.Option("text", "--format", "--output-format", help="text | json"),
    fail_on: str = typer.Option("error", "--fail-on", help="error | warning | info | never"),
    lang: str = typer.Option("zh", "--lang", help="zh | en"),
) -> None:
    """Check performance-target tables and report defects."""
    config = DEFAULT_CONFIG.model_copy(update={"lang": lang})
    files = _run(paths, config, rules=True)
    report = build_report(files)
    if output_format == "json":
        from kpicheck.report.json_report import render
    else:
        from kpicheck.report.text import render as render_text

        def render(r):  # noqa: E306
            return render_text(r, lang)

    sys.stdout.write(render(report))
    raise typer.Exit(exit_code(files, fail_on))


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="files or directories"),
    output_format: str = typer.Option("text", "--format", "--output-format", help="text | json"),
) -> None:
    """Show every indicator found, with its parsed value and category."""
    files = _run(paths, DEFAULT_CONFIG, rules=False)
    report = build_report(files)
    if output_format == "json":
        from kpicheck.report.json_report import render

        sys.stdout.write(render(report))
    else:
        from kpicheck.report.text import render_indicators

        sys.stdout.write(render_indicators(report))
    raise typer.Exit(2 if any(f.error for f in files) else 0)


@app.command("rules")
def list_rules() -> None:
    """List every rule: code, name, severity, one line."""
    from kpicheck.rules import REGISTRY

    for code, rule in sorted(REGISTRY.items()):
        typer.echo(f"{code}  {rule.name:32} {rule.severity:8} {rule.summary}")


@app.command()
def explain(code: str, lang: str = typer.Option("zh", "--lang")) -> None:
    """Print a rule's documentation."""
    from kpicheck.rules import REGISTRY

    rule = REGISTRY.get(code.upper())
    if rule is None:
        typer.echo(f"未知规则代码: {code}", err=True)
        raise typer.Exit(2)
    typer.echo(rule.doc(lang))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    import json

    from kpicheck.models import Report

    typer.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))


def exit_code(files: list[FileReport], fail_on: str) -> int:
    if any(f.error for f in files):
        return 2
    if fail_on == "never":
        return 0
    floor = FAIL_LEVELS[fail_on]
    hit = any(SEV_LEVEL[x.severity] >= floor for f in files for x in f.findings)
    return 1 if hit else 0


def main() -> None:  # console script
    app()


if __name__ == "__main__":
    main()
