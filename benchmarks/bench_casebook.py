"""Time the case-record paths people wait on: building the demo, exporting, importing.

    .venv/bin/python benchmarks/bench_casebook.py [--repeat N]

Runs on SQLite, and on PostgreSQL too when DALIL_TEST_POSTGRES_URL is set (in a scratch
schema). Prints a table; paste it into docs/benchmarks.md with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from dalil.config import load_settings
from dalil.demo import build_demo
from dalil.records import exchange
from dalil.workspace import Workspace

SCHEMAS: list[str] = []


def _workspace(home: Path, backend: str) -> Workspace:
    if backend == "sqlite":
        return Workspace.create(load_settings(home))
    base = os.environ["DALIL_TEST_POSTGRES_URL"]
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    SCHEMAS.append(schema)
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    return Workspace.create(load_settings(home, database_url=url))


def _drop_schemas() -> None:
    if SCHEMAS:
        with create_engine(os.environ["DALIL_TEST_POSTGRES_URL"]).begin() as conn:
            for schema in SCHEMAS:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


SIZE: dict[str, int] = {}


def _one_round(backend: str, tmp: Path) -> dict[str, float]:
    src = _workspace(tmp / "a", backend)
    dst = _workspace(tmp / "b", backend)
    try:
        start = time.perf_counter()
        case_id = build_demo(src).case_id
        built = time.perf_counter()
        with src.session() as s:
            data = exchange.dumps(exchange.export_case(s, case_id)).encode()
        exported = time.perf_counter()
        with dst.session() as s:
            doc = exchange.parse(data, max_bytes=len(data) + 1)
            exchange.import_case(s, doc)
        imported = time.perf_counter()
    finally:
        src.close()
        dst.close()
    SIZE.update(records=len(doc.records), assertions=len(doc.assertions), bytes=len(data))
    return {"build demo": built - start, "export": exported - built, "import": imported - exported}


def run(backend: str, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"build demo": [], "export": [], "import": []}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            for op, seconds in _one_round(backend, Path(tmp)).items():
                times[op].append(seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DALIL_TEST_POSTGRES_URL") else [])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    rows = []
    try:
        for backend in backends:
            for op, values in run(backend, args.repeat).items():
                med, lo, hi = statistics.median(values), min(values), max(values)
                rows.append(
                    f"| {backend} | {op} | {med:.2f} | {lo:.2f} | {hi:.2f} | {len(values)} |"
                )
    finally:
        _drop_schemas()
    print(
        f"demo case: {SIZE['records']} records, {SIZE['assertions']} assertions, "
        f"{SIZE['bytes'] / 1e6:.1f} MB as JSON"
    )
    print("| backend | operation | median s | min s | max s | runs |\n|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
