"""Adversarial inputs: how long the pipeline takes on the regex stress cases and on huge files.

The cases are those of tests/test_robustness_regex.py (about 100k repeats of a fragment each
regex family matches, failing late), the same document flattened into one 1 MB line, and a
10 MB document. Prints seconds per stage; anything above a second is worth a look.

    python benchmarks/adversarial.py [--only NAME]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _common import DEFAULT_SEEDS, machine  # noqa: E402
from test_robustness_regex import adversarial_inputs, one_mb_line  # noqa: E402


def timed(fn, *args):
    start = time.perf_counter()
    try:
        fn(*args)
        status = "ok"
    except Exception as exc:  # noqa: BLE001 - report and continue
        status = f"RAISED {exc!r}"[:120]
    return time.perf_counter() - start, status


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=None)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = ap.parse_args()
    from kpicheck.pipeline import check_document, process_path
    from kpicheck.read.text import text_to_document
    from kpicheck.segment import segment
    from kpicheck.values import parse_value

    print(f"# {machine()}")
    process_path(sorted(args.seeds.glob("*.txt"))[0])  # warm-up: lazy loads
    cases = adversarial_inputs()
    cases["1 MB line"] = one_mb_line()
    print(f"{'case':28} {'chars':>9} {'parse_value':>12} {'to_document':>12} {'segment':>9} {'check':>9}")
    worst = (0.0, "")
    for name, text in cases.items():
        if args.only and args.only != name:
            continue
        t_parse, s1 = timed(parse_value, text)
        start = time.perf_counter()
        doc = text_to_document(text, path=name)
        t_doc = time.perf_counter() - start
        t_seg, s2 = timed(segment, doc)
        t_check, s3 = timed(check_document, doc)
        problems = " ".join(s for s in (s1, s2, s3) if s != "ok")
        print(f"{name:28} {len(text):9d} {t_parse:11.3f}s {t_doc:11.3f}s {t_seg:8.3f}s {t_check:8.3f}s {problems}")
        worst = max(worst, (t_parse + t_check, name))
    print(f"slowest case: {worst[1]} ({worst[0]:.2f} s parse_value + check)")

    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        seed = sorted(args.seeds.glob("*.txt"))[1].read_text(encoding="utf-8")
        big = Path(tmp) / "ten_mb.txt"
        big.write_text("\n".join([seed] * (10_000_000 // len(seed.encode()) + 1)), encoding="utf-8")
        t, status = timed(process_path, big)
        print(f"10 MB document ({big.stat().st_size / 1e6:.1f} MB) through process_path: {t:.2f} s {status}")


if __name__ == "__main__":
    main()
