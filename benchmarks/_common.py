"""Shared helpers for the benchmark scripts: default paths, the CLI command, a child's peak RSS."""
from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO / "seeds"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"  # a clean clone has shared/ beside it


def documents(*dirs: Path) -> list[Path]:
    """The .txt documents in each directory that exists (a missing corpus is skipped, said so)."""
    out: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            print(f"# note: {d} not found, skipped", file=sys.stderr)
            continue
        out.extend(sorted(p for p in d.glob("*.txt") if p.is_file()))
    return out


def kpicheck_cmd() -> list[str]:
    """The installed console script beside this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "kpicheck"
    if script.exists():
        return [str(script)]
    found = shutil.which("kpicheck")
    if found:
        return [found]
    return [sys.executable, "-m", "kpicheck"]


@dataclass
class ChildRun:
    wall: float  # seconds, wall clock
    cpu: float  # user + system seconds of the child and its reaped workers (less load-sensitive)
    code: int
    rss_mb: int  # peak RSS of the largest single process of the run
    stdout: bytes


# Children import kpicheck from cached bytecode, as an installed package does (pip compiles the
# .pyc files at install). Some sandboxes set PYTHONDONTWRITEBYTECODE=1, which makes every run
# compile every kpicheck module from source again (~60 ms of a ~0.2 s import): not what users pay.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_child(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> ChildRun:
    """Run `cmd` and measure it (os.wait4 gives this child's own rusage). Its stdout goes to a
    temporary file, read once it has exited: a pipe would make this process copy the report
    (44 MB of JSON for 1,000 documents) while the child runs, on the cores the child's workers
    are measured on, as a review workflow writing the report to a file never does."""
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL, env={**CHILD_ENV, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sink.seek(0)
        out = sink.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, proc.returncode,
                    usage.ru_maxrss // 1024, out)  # ru_maxrss is KB on Linux


def load_note() -> str:
    """The 1-minute load average against the cores: wall times mean little on a busy machine."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return ""
    cores = os.cpu_count() or 1
    busy = "  ** machine busy: wall times inflated, compare CPU times **" if load > cores * 0.75 else ""
    return f"# load average {load:.2f} on {cores} cores{busy}"


def cli_supports(option: str) -> bool:
    out = subprocess.run(kpicheck_cmd() + ["check", "--help"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    return option in out.stdout


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"nproc={os.cpu_count()} cpu='{model}' python={platform.python_version()} "
            f"({platform.system()} {platform.machine()})")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
