"""Case-file reports: time to gather, render HTML and render PDF, per audience, on the
demo case (built here, with its lists linked and a log-linear estimate stored).

    .venv/bin/python benchmarks/casefile.py [--repeat 3]

There is no target in issue 8; the figures tell a team how long `dalil report` takes and
how large the file is. Copy the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from dalil.config import load_settings
from dalil.demo import build_demo
from dalil.estimate import service as estimates
from dalil.linkage import service as linkage
from dalil.records.cases import all_cases
from dalil.report import casefile
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.create(load_settings(Path(tmp) / "ws"))
        build_demo(ws, vault=Vault.create(ws, "benchmark passphrase", "bench"))
        with ws.session() as s:
            case_id = all_cases(s)[0].id
            linkage.run_linkage(s, case_id, "bench")
        with ws.session() as s:
            estimates.estimate_case(s, case_id, "bench", "loglinear", replicates=100)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")  # fmt: skip
        print("| audience | gather (s) | HTML (s) | PDF (s) | PDF pages | PDF bytes |")
        print("|---|---|---|---|---|---|")
        for audience in casefile.AUDIENCES:
            gather, render, pdf_s = [], [], []
            pdf = b""
            for _ in range(args.repeat):
                with ws.session() as s:
                    t0 = time.perf_counter()
                    cf = casefile.build(s, ws.home, case_id, audience)
                    t1 = time.perf_counter()
                    html = casefile.render_html(cf)
                    t2 = time.perf_counter()
                    pdf = casefile.render_pdf(html)
                    t3 = time.perf_counter()
                gather.append(t1 - t0)
                render.append(t2 - t1)
                pdf_s.append(t3 - t2)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(f"| {audience} | {statistics.median(gather):.2f} | "
                  f"{statistics.median(render):.2f} | {statistics.median(pdf_s):.2f} | "
                  f"{pages} | {len(pdf):,} |")  # fmt: skip
        ws.close()


if __name__ == "__main__":
    main()
