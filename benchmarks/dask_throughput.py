"""Dask against the local pool: `kpicheck check --format json` over the same N generated
documents (`gen_corpus.py`) with `--jobs 1`, `--jobs 2`, and on Dask with 1 and 2 workers.

Two ways to run on Dask are timed:
- `--dask ADDRESS` on a standing cluster (`dask scheduler` and `dask worker --nthreads 1`
  started once, as a department's cluster is): the workers have imported kpicheck already, and
  their text caches are emptied before each run (`kpicheck.textcache.clear`), so no run profits
  from the one before;
- `--dask local` end to end: the command starts a `LocalCluster` and stops it, every run.

The per-file overhead of the scheduler is the slope of wall time against the number of files,
on Dask with 1 worker minus with `--jobs 1` (runs on N and on `--small` documents: what does not
grow with the batch, start-up, cancels out). The script ends with what those figures say about
1,000,000 documents an hour. Every output is compared: the JSON must be the same bytes.

    python benchmarks/dask_throughput.py [-n 1000] [--small 250] [--repeat 3] [--no-local-cluster]
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS, documents, kpicheck_cmd, load_note, machine, run_child  # noqa: E402
from gen_corpus import generate  # noqa: E402

TARGET_SPEEDUP = 1.6
DOCS_PER_HOUR = 1_000_000


class StandingCluster:
    """`dask scheduler` and `dask worker --nworkers W --nthreads 1` as processes of their own."""

    def __init__(self, workers: int, tmp: Path) -> None:
        from distributed import Client

        dask_cli = str(Path(sys.executable).parent / "dask")
        self.file = tmp / f"scheduler-{workers}.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.procs = [subprocess.Popen([dask_cli, "scheduler", "--port", "0", "--no-dashboard",
                                        "--scheduler-file", str(self.file)], **quiet)]
        deadline = time.time() + 60
        while not self.file.exists() and time.time() < deadline:
            time.sleep(0.1)
        self.procs.append(subprocess.Popen([dask_cli, "worker", "--scheduler-file", str(self.file), "--nworkers",
                                            str(workers), "--nthreads", "1", "--no-dashboard"], **quiet))
        self.client = Client(scheduler_file=str(self.file), timeout="60s")
        self.client.wait_for_workers(workers, timeout=120)
        self.address = self.client.scheduler.address
        self.client.run(_import_kpicheck)

    def cpu(self) -> float:
        """CPU seconds the scheduler and the workers have used so far (their own rusage)."""
        return sum(self.client.run(_cpu).values()) + self.client.run_on_scheduler(_cpu)

    def forget(self) -> None:
        """Empty the workers' text caches: each run meets the documents as never seen."""
        self.client.run(_clear_caches)

    def close(self) -> None:
        self.client.close()
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _import_kpicheck() -> None:
    import kpicheck.cli  # noqa: F401
    import kpicheck.rules  # noqa: F401


def _cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _clear_caches() -> None:
    from kpicheck import textcache

    textcache.clear()


def scheduler_cost(n: int = 4000) -> dict:
    """What Dask itself costs per task and per file: `kpicheck.dask.cluster_map` over n inputs
    whose check does nothing (`os.path.basename`), on a LocalCluster of 1 worker. Wall time, and
    CPU time of every process (this one: client and scheduler; the worker; its nanny idles)."""
    from kpicheck import dask as kd
    from kpicheck.config import DEFAULT_CONFIG
    from kpicheck.pool import chunks

    init = (DEFAULT_CONFIG, False, None, None)
    with kd.connect("local", 1) as client:
        list(kd.cluster_map(client, os.path.basename, [f"x{i}" for i in range(200)], init))  # warm
        cpu0 = _cpu() + sum(client.run(_cpu).values())
        start = time.perf_counter()
        out = list(kd.cluster_map(client, os.path.basename, [f"x{i}" for i in range(n)], init))
        wall = time.perf_counter() - start
        cpu = _cpu() + sum(client.run(_cpu).values()) - cpu0
    assert out == [f"x{i}" for i in range(n)]
    tasks = len(chunks(n, 1, kd.CHUNK))
    return {"wall_per_file_s": wall / n, "wall_per_task_s": wall / tasks, "cpu_per_file_s": cpu / n,
            "cpu_per_task_s": cpu / tasks, "tasks": tasks}


def cpu_split(files: list[Path], workers: int = 1) -> dict:
    """Where the CPU of a Dask run goes, per file: the workers' checks against the client and
    the scheduler (both in this process), beside the same checks in a plain loop; every text
    cache emptied first. Load-insensitive where wall clocks are not (a shared machine)."""
    from kpicheck import cli
    from kpicheck import dask as kd
    from kpicheck.config import DEFAULT_CONFIG
    from kpicheck.report import RenderOptions

    paths = [str(p) for p in files]
    init = (DEFAULT_CONFIG, True, "json", RenderOptions(), frozenset())
    cli._init(*init)
    _clear_caches()
    start = _cpu()
    for p in paths:
        cli._check_rendered(p)
    plain = (_cpu() - start) / len(paths)
    with kd.connect("local", workers) as client:
        list(kd.cluster_map(client, cli._check_rendered, paths[:20], init))
        client.run(_clear_caches)
        mine, theirs = _cpu(), sum(client.run(_cpu).values())
        list(kd.cluster_map(client, cli._check_rendered, paths, init))
        mine, theirs = _cpu() - mine, sum(client.run(_cpu).values()) - theirs
    return {"plain_per_file_s": plain, "workers_per_file_s": theirs / len(paths),
            "client_scheduler_per_file_s": mine / len(paths)}


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--small", type=int, default=250, help="the smaller batch of the slope")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-local-cluster", action="store_true", help="skip the end-to-end --dask local runs")
    ap.add_argument("--scheduler-only", action="store_true", help="only what Dask costs a task (a check that does nothing)")
    ap.add_argument("--split", action="store_true", help="only where a Dask run's CPU goes (workers, client+scheduler)")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    print(f"# {machine()}")
    print(load_note())
    result: dict = {}
    if args.scheduler_only:
        cost = scheduler_cost()
        print(f"Dask alone ({cost['tasks']} tasks): wall {cost['wall_per_task_s'] * 1e3:.2f} ms a task, "
              f"CPU {cost['cpu_per_task_s'] * 1e3:.2f} ms a task, {cost['cpu_per_file_s'] * 1e3:.3f} ms a file")
        return cost
    with tempfile.TemporaryDirectory(prefix="kpicheck-bench-") as tmp_:
        tmp = Path(tmp_)
        big = tmp / "big"
        files = generate(big, args.n, documents(args.seeds, args.corpus))
        if args.split:
            split = cpu_split(files[:400])
            print(f"CPU a file, 400 documents: plain loop {split['plain_per_file_s'] * 1e3:.2f} ms; on Dask, the worker "
                  f"{split['workers_per_file_s'] * 1e3:.2f} ms, the client and the scheduler "
                  f"{split['client_scheduler_per_file_s'] * 1e3:.2f} ms")
            return split
        small = tmp / "small"
        small.mkdir()
        for p in files[:args.small]:
            shutil.copy(p, small / p.name)
        print(f"corpus: {len(files)} generated documents, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; "
              f"small batch {args.small}")
        clusters = {w: StandingCluster(w, tmp) for w in (1, 2)}
        try:
            runs = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"],
                    "--dask ADDRESS, 1 worker": ["--dask", clusters[1].address],
                    "--dask ADDRESS, 2 workers": ["--dask", clusters[2].address]}
            if not args.no_local_cluster:
                runs |= {"--dask local, 1 worker": ["--dask", "local", "--jobs", "1"],
                         "--dask local, 2 workers": ["--dask", "local", "--jobs", "2"]}
            walls: dict = {(label, d): [] for label in runs for d in ("big", "small")}
            cpu_runs: dict = {}
            digests: dict = {"big": set(), "small": set()}
            for d, directory in (("big", big), ("small", small)):  # untimed: the file cache
                run_child(kpicheck_cmd() + ["check", "--format", "json", str(directory), "--jobs", "2"])
            for rep in range(args.repeat):
                for label, extra in runs.items():
                    for d, directory in (("big", big), ("small", small)):
                        if d == "small" and label not in ("--jobs 1", "--dask ADDRESS, 1 worker"):
                            continue
                        for c in clusters.values():
                            c.forget()
                        standing = next((c for c in clusters.values() if c.address in extra), None)
                        before = standing.cpu() if standing else 0.0
                        run = run_child(kpicheck_cmd() + ["check", "--format", "json", str(directory)] + extra)
                        # the command's CPU (with its reaped children), plus the standing cluster's
                        run.cpu += (standing.cpu() - before) if standing else 0.0
                        cpu_runs.setdefault((label, d), []).append(run.cpu)
                        digests[d].add(hashlib.sha256(run.stdout).hexdigest())
                        walls[(label, d)].append(run.wall)
                        n = len(files) if d == "big" else args.small
                        print(f"{label:27} {n:5d} docs  wall {run.wall:6.2f} s  {n / run.wall:6.1f} docs/s  "
                              f"CPU {run.cpu:6.2f} s  exit {run.code}  (run {rep + 1})")
        finally:
            for c in clusters.values():
                c.close()
        print()
        med = {k: statistics.median(v) for k, v in walls.items() if v}
        for label in runs:
            w = med[(label, "big")]
            result[label] = {"wall_s": w, "docs_per_s": len(files) / w}
            print(f"{label:27} median wall {w:6.2f} s  {len(files) / w:6.1f} docs/s")
        same = len(digests["big"]) == 1 and len(digests["small"]) == 1
        result["identical"] = same
        print(f"JSON byte-identical across --jobs and --dask: {'yes' if same else 'NO'}")

        def ratio(one: str, two: str) -> float:
            pairs = [a / b for a, b in zip(walls[(one, "big")], walls[(two, "big")])]
            return statistics.median(pairs)

        for kind in ("--dask ADDRESS", "--dask local") if not args.no_local_cluster else ("--dask ADDRESS",):
            r = ratio(f"{kind}, 1 worker", f"{kind}, 2 workers")
            result[f"{kind} speed-up"] = r
            print(f"{kind}: 2 workers {r:.2f}x 1 worker (target >= {TARGET_SPEEDUP}x) -> "
                  f"{'OK' if r >= TARGET_SPEEDUP else 'MISSED'}")
        print(f"--jobs 2: {ratio('--jobs 1', '--jobs 2'):.2f}x --jobs 1")

        gap = len(files) - args.small
        slope = {label: (med[(label, "big")] - med[(label, "small")]) / gap for label in ("--jobs 1", "--dask ADDRESS, 1 worker")}
        fixed = {label: med[(label, "big")] - slope[label] * len(files) for label in slope}
        overhead = slope["--dask ADDRESS, 1 worker"] - slope["--jobs 1"]
        result["per_file_s"] = slope
        result["overhead_per_file_s"] = overhead
        print(f"per file (slope {args.small} -> {len(files)} documents): --jobs 1 {slope['--jobs 1'] * 1e3:.2f} ms, "
              f"--dask 1 worker {slope['--dask ADDRESS, 1 worker'] * 1e3:.2f} ms: Dask's overhead "
              f"{overhead * 1e3:+.2f} ms a file; fixed part {fixed['--jobs 1']:.2f} s and "
              f"{fixed['--dask ADDRESS, 1 worker']:.2f} s")
        cpu_med = {k: statistics.median(v) for k, v in cpu_runs.items()}
        cpu_slope = {label: (cpu_med[(label, "big")] - cpu_med[(label, "small")]) / gap
                     for label in ("--jobs 1", "--dask ADDRESS, 1 worker")}
        result["cpu_per_file_s"] = cpu_slope
        result["cpu_overhead_per_file_s"] = cpu_slope["--dask ADDRESS, 1 worker"] - cpu_slope["--jobs 1"]
        print(f"CPU per file, every process counted (slope): --jobs 1 {cpu_slope['--jobs 1'] * 1e3:.2f} ms, "
              f"--dask 1 worker {cpu_slope['--dask ADDRESS, 1 worker'] * 1e3:.2f} ms: Dask's overhead "
              f"{result['cpu_overhead_per_file_s'] * 1e3:+.2f} ms of CPU a file")
        if not args.no_local_cluster:
            startup = med[("--dask local, 1 worker", "big")] - med[("--dask ADDRESS, 1 worker", "big")]
            result["local_cluster_start_s"] = startup
            print(f"--dask local starts and stops its LocalCluster in ~{startup:.1f} s more than a standing cluster")
    cost = scheduler_cost()
    result["scheduler"] = cost
    print(f"Dask alone (a check that does nothing, 1 worker, {cost['tasks']} tasks): wall "
          f"{cost['wall_per_task_s'] * 1e3:.2f} ms a task, {cost['wall_per_file_s'] * 1e3:.3f} ms a file; CPU of all "
          f"processes {cost['cpu_per_task_s'] * 1e3:.2f} ms a task, {cost['cpu_per_file_s'] * 1e3:.3f} ms a file")

    # On paper: a worker checks a file in the --dask slope's time (one core each, the scheduler
    # and the writer elsewhere); 1,000,000 an hour is 278 a second.
    need = DOCS_PER_HOUR / 3600
    per_core = 1 / slope["--dask ADDRESS, 1 worker"]
    cores = math.ceil(need / per_core)
    result["estimate_cores"] = cores
    print(f"1,000,000 documents an hour = {need:.0f}/s; one worker checks {per_core:.0f}/s of these documents: "
          f"{cores} worker cores at full use, {math.ceil(cores / 0.7)} at 70%")
    return result


if __name__ == "__main__":
    main()
