"""Fact extraction: precision and recall per kind on the labelled sets, and throughput.

    .venv/bin/python benchmarks/extraction.py [--repeat 20]

Scores ``benchmarks/extraction_set`` (12 reports the rules were developed on) and
``benchmarks/extraction_heldout`` (4 reports written after the rules were tuned; the
honest estimate). Throughput is text characters (UTF-8 bytes) proposed from per second,
over every document of both sets read ``--repeat`` times, and over one long document
made of all of them joined (about 1 MB), since a report can be a 300-page PDF.
Targets (issue 7): precision and recall >= 0.85 on dates, places and counts; >= 100 KB
of text per second. Copy the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date
from pathlib import Path

from dalil.extract.document import Document, read
from dalil.extract.evaluation import evaluate
from dalil.extract.proposals import Extractor

HERE = Path(__file__).parent
SETS = {"development (12)": HERE / "extraction_set", "held out (4)": HERE / "extraction_heldout"}


def _documents() -> list[Document]:
    return [read(p) for folder in SETS.values() for p in sorted(folder.iterdir())
            if p.suffix in (".txt", ".html")]  # fmt: skip


def throughput(extractor: Extractor, docs: list[Document], repeat: int) -> tuple[float, int]:
    """KB of text per second, and the number of proposals made, over ``repeat`` passes."""
    size = sum(len(d.text.encode("utf-8")) for d in docs) * repeat
    made = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            made += len(extractor.propose(d, date(2025, 3, 12)))
    return size / 1024 / (time.perf_counter() - start), made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    extractor = Extractor()
    print(f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"{time.strftime('%Y-%m-%d')}\n")  # fmt: skip
    print(f"{'set':18} {'kind':6} {'gold':>5} {'proposed':>9} {'precision':>10} {'recall':>7}")
    for name, folder in SETS.items():
        report = evaluate(folder, extractor)
        for kind, s in report.scores.items():
            print(f"{name:18} {kind:6} {s.gold:>5} {s.proposed:>9} {s.precision:>10.2f} "
                  f"{s.recall:>7.2f}")  # fmt: skip
        print(f"{name:18} {'roles':6} {len(report.roles):>5} {'':>9} {'accuracy':>10} "
              f"{report.role_accuracy:>7.2f}")  # fmt: skip
    docs = _documents()
    per_doc, made = throughput(extractor, docs, args.repeat)
    joined = Document("\n\n".join(d.text for d in docs) * 40, "text")
    joined.paragraphs = [p for d in [read(Path("joined.txt"), joined.text.encode())]
                         for p in d.paragraphs]  # fmt: skip
    long_doc, _ = throughput(extractor, [joined], 1)
    print(f"\nthroughput: {per_doc:,.0f} KB/s over {len(docs)} reports x {args.repeat} "
          f"({made:,} proposals); {long_doc:,.0f} KB/s on one "
          f"{len(joined.text.encode()) / 1e6:.1f} MB document")  # fmt: skip


if __name__ == "__main__":
    main()
