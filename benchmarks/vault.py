"""Vault and ledger figures: ingest throughput and memory, ledger append, verify, proofs.

    .venv/bin/python benchmarks/vault.py [--file-mb 1024] [--entries 1000000] [--dir DIR]

Ingest runs `dalil vault add` in a child process (so its peak RSS is its own) beside
`sha256sum` + `cp` of the same file, in the same run. SQLite workspace; the file and the
workspace live under --dir (default: a temporary directory on the project disk).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dalil.config import load_settings
from dalil.records.cases import create_case
from dalil.vault import ledger
from dalil.vault.service import Vault, verify_ledger
from dalil.workspace import Workspace

PASS = "benchmark passphrase"


def _child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file-mb", type=int, default=1024)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="dalil-bench-", dir=args.dir))
    rows: list[tuple[str, str, str]] = []

    big = base / "evidence.bin"
    with open(big, "wb") as fh:
        for _ in range(args.file_mb):
            fh.write(os.urandom(1 << 20))
    ws = Workspace.create(load_settings(base / "ws"))
    with ws.session() as s:
        case_id = create_case(s, "Benchmark", actor="bench").id
    Vault.create(ws, PASS, "bench")
    env = dict(os.environ, DALIL_HOME=str(base / "ws"), DALIL_PASSPHRASE=PASS)
    dalil = str(Path(sys.executable).with_name("dalil"))
    start = time.perf_counter()
    subprocess.run(
        [dalil, "vault", "add", case_id, str(big)], check=True, env=env, capture_output=True
    )
    t_dalil = time.perf_counter() - start
    peak = _child_peak_mb()
    start = time.perf_counter()
    subprocess.run(["sha256sum", str(big)], check=True, capture_output=True)
    subprocess.run(["cp", str(big), str(base / "copy.bin")], check=True)
    subprocess.run(["sync"], check=True)
    t_ref = time.perf_counter() - start
    mb = args.file_mb
    rows += [
        ("ingest 1 file", f"{mb} MiB", f"{mb / t_dalil:.0f} MiB/s ({t_dalil:.1f} s)"),
        ("sha256sum + cp + sync", f"{mb} MiB", f"{mb / t_ref:.0f} MiB/s ({t_ref:.1f} s)"),
        ("ingest / reference throughput", "", f"{t_ref / t_dalil:.2f} (target >= 0.6)"),
        ("peak RSS of the ingest process", f"{mb} MiB", f"{peak:.0f} MiB (target < 200)"),
    ]
    big.unlink()
    (base / "copy.bin").unlink()

    entries = args.entries
    start = time.perf_counter()
    done = 0
    while done < entries:
        n = min(args.batch, entries - done)
        with ws.session() as s:
            ledger.lock(s)
            ledger.append(
                s,
                [
                    ledger.make_entry(
                        "view", "bench", case=case_id, item="0" * 64, detail={"n": done + i}
                    )
                    for i in range(n)
                ],
            )
        done += n
    t_append = time.perf_counter() - start
    rows.append(
        (
            "ledger append, durable batches",
            f"{entries:,} entries, batch {args.batch}",
            f"{entries / t_append:,.0f} entries/s (target >= 2,000)",
        )
    )

    with ws.session() as s:
        size = ledger.size(s)
        start = time.perf_counter()
        faults, roots = verify_ledger(s, size, {size})
        t_verify = time.perf_counter() - start
        rows.append(
            (
                "full ledger verify (entries, nodes, root)",
                f"{size:,} entries",
                f"{t_verify:.1f} s (target <= 60), faults {len(faults)}",
            )
        )
        rng = random.Random(1)
        picks = [rng.randrange(size) for _ in range(1000)]
        start = time.perf_counter()
        for i in picks:
            ledger.inclusion_proof(s, i, size)
        t_proof = (time.perf_counter() - start) / len(picks)
        rows.append(
            ("inclusion proof", f"{size:,} entries", f"{t_proof * 1000:.2f} ms each (target <= 5)")
        )
        assert roots[size] == ledger.root(s, size)
    ws.close()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; dir {base}")
    print("| measure | size | result |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
