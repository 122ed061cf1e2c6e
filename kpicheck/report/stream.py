"""Streaming output for batches: each file rendered on its own (in a worker process), the pieces
written in input order as they arrive, then a tail built from small per-file counters. Memory
stays O(one file) whatever the batch, and the bytes are exactly those of `render(build_report())`
(tests compare both).

    streamer = make_streamer("json", opts)
    out.write(streamer.head())
    for each file, in order: piece = streamer.piece(file); totals.add(tally(file))
        write streamer.sep before each non-empty piece but the first, then the piece
    out.write(streamer.tail(totals, wrote_any))

Formats that need every file at once (sarif, junit, xlsx, html) are not streamed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from kpicheck.models import FileReport, Finding, Report, Summary, ToolInfo
from kpicheck.report.common import RenderOptions

SEVERITIES = ("error", "warning", "info")


@dataclass
class Tally:
    """What the summary, the exit code and `--statistics` need from one file."""

    error: bool = False
    projects: int = 0
    indicators: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    last_of_code: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, severity)


def tally(f: FileReport) -> Tally:
    t = Tally(error=f.error is not None, projects=len(f.projects), indicators=len(f.indicators))
    for x in f.findings:
        t.by_code[x.code] = t.by_code.get(x.code, 0) + 1
        t.by_severity[x.severity] = t.by_severity.get(x.severity, 0) + 1
        t.last_of_code[x.code] = (x.name, x.severity)
    return t


class Totals:
    """The sum of the tallies, in input order (the last finding of a code wins, as in `render`)."""

    def __init__(self) -> None:
        self.files = self.files_with_errors = self.projects = self.indicators = 0
        self.by_code: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.last_of_code: dict[str, tuple[str, str]] = {}

    def add(self, t: Tally) -> None:
        self.files += 1
        self.files_with_errors += t.error
        self.projects += t.projects
        self.indicators += t.indicators
        self.by_code.update(t.by_code)
        self.by_severity.update(t.by_severity)
        self.last_of_code.update(t.last_of_code)

    def summary(self) -> Summary:
        return Summary(files=self.files, files_with_errors=self.files_with_errors, projects=self.projects,
                       indicators=self.indicators, findings=sum(self.by_code.values()),
                       by_severity={k: self.by_severity.get(k, 0) for k in SEVERITIES},
                       by_code=dict(sorted(self.by_code.items())))

    def samples(self) -> dict[str, Finding]:
        """Stand-ins for the last finding of each code (name and severity are all text needs)."""
        return {code: Finding(code=code, name=name, severity=sev, message="")
                for code, (name, sev) in self.last_of_code.items()}


def _report(summary: Optional[Summary] = None) -> Report:
    from kpicheck import __version__

    return Report(tool=ToolInfo(version=__version__), summary=summary or Summary())


class Streamer:
    sep = ""  # written between two non-empty pieces

    def __init__(self, opts: Optional[RenderOptions] = None) -> None:
        self.opts = opts or RenderOptions()

    def head(self) -> str:
        return ""

    def piece(self, f: FileReport) -> str:
        raise NotImplementedError

    def tail(self, totals: Totals, wrote_any: bool) -> str:
        return ""


class JsonStreamer(Streamer):
    sep = ","

    def head(self) -> str:
        from kpicheck.report.json_report import split_skeleton

        return split_skeleton(_report())[0]

    def piece(self, f: FileReport) -> str:
        from kpicheck.report.json_report import file_item

        return file_item(f)

    def tail(self, totals: Totals, wrote_any: bool) -> str:
        from kpicheck.report.json_report import split_skeleton

        return ("\n  " if wrote_any else "") + split_skeleton(_report(totals.summary()))[1]


class JsonLinesStreamer(Streamer):
    def piece(self, f: FileReport) -> str:
        from kpicheck.report.json_lines import file_lines

        return file_lines(f)


class GithubStreamer(Streamer):
    def piece(self, f: FileReport) -> str:
        from kpicheck.report.github import file_annotations

        return file_annotations(f, self.opts.lang)


class CsvStreamer(Streamer):
    def head(self) -> str:
        from kpicheck.report.csv_report import head

        return head(self.opts.lang)

    def piece(self, f: FileReport) -> str:
        from kpicheck.report.csv_report import file_csv

        return file_csv(f, self.opts.lang)


class TextStreamer(Streamer):
    sep = "\n"  # a blank line between two files' blocks

    def piece(self, f: FileReport) -> str:
        from kpicheck.report.text import file_block

        return file_block(f, self.opts)

    def tail(self, totals: Totals, wrote_any: bool) -> str:
        from kpicheck.report.text import tail

        return tail(totals.summary(), totals.samples(), self.opts, wrote_any)


STREAMERS: dict[str, type[Streamer]] = {
    "json": JsonStreamer,
    "json-lines": JsonLinesStreamer,
    "github": GithubStreamer,
    "csv": CsvStreamer,
    "text": TextStreamer,
}


def make_streamer(fmt: str, opts: Optional[RenderOptions] = None) -> Optional[Streamer]:
    """The streamer of a format, or None when the format needs every file at once."""
    cls = STREAMERS.get(fmt)
    return cls(opts) if cls else None


def stream_all(files: list[FileReport], fmt: str, opts: Optional[RenderOptions] = None) -> str:
    """The streamed bytes of `files` in one string (what the CLI writes piece by piece)."""
    streamer = make_streamer(fmt, opts)
    if streamer is None:
        raise ValueError(f"format {fmt!r} is not streamed")
    totals = Totals()
    out = [streamer.head()]
    wrote = False
    for f in files:
        totals.add(tally(f))
        piece = streamer.piece(f)
        if piece:
            out.append(streamer.sep + piece if wrote else piece)
            wrote = True
    out.append(streamer.tail(totals, wrote))
    return "".join(out)
