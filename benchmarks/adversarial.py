"""Adversarial inputs: how long the pipeline takes on the regex stress cases and on huge files.

The cases are those of tests/test_robustness_regex.py (about 100k repeats of a fragment each
regex family matches, failing late), the same document flattened into one 1 MB line, documents
whose shape could make a reader slow (`structural_inputs`), and a 10 MB document. Prints seconds per stage; anything above a second is worth a look.

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


def structural_inputs() -> dict[str, str]:
    """Documents whose shape, not a regex, could make a reader slow: a project listing of 1,600
    rows (its targets placed by bisection), 2,000 rows naming 项目名称 with no listing under them
    (each is turned down at once), 12,000 colons with no funds key and 2,000 keyed funds blocks
    (`segment/listing.py`, `segment/keyed_funds.py`)."""
    head = ("序号 | 项目名称 | 实施期限(月) | 资金来源及规模 | 绩效目标 | 备注 |\n"
            "资金来源 | 资金规模(万元) | 产出指标 |\n效益指标 |\n满意度指标 |\n")
    rows = "".join(f"{k} | 村道硬化项目{k} | 6 | 市级 | 50 | 硬化村道{k}公里,新建路灯{k}盏 | 受益户数≥{k}户 | "
                   f"群众满意度≥90% | 无 |\n" for k in range(1, 1601))
    return {
        "listing 1,600 rows": head + rows,
        "项目名称 rows, no listing": "项目名称 | 村道硬化项目 | 10 | 某镇 | 50 |\n" * 2000,
        "12,000 colons, no funds": "说明：\n" * 12000,
        "2,000 keyed funds blocks": "预算数：2.38 执行数：2.38 其中：中央补助 2.38万元 中央补助 2.38万元\n" * 2000,
    }


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
    cases.update(structural_inputs())
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
