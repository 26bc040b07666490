"""Web latency under load: a case with 100,000 documented victims, served by `dalil serve`
in its own process and driven by 20 concurrent clients from this process over loopback.

    .venv/bin/python benchmarks/web.py [--victims 100000] [--incidents 500] [--clients 20]
                                       [--seconds 30] [--dir DIR] [--keep]

The case: --incidents incidents with 20 sourced assertions each (title, date, place,
description, reported counts from several sources, disputed dates: 10,000 assertions at
the default), and --victims public persons, each with an Arabic and a Latin name, sex and
age, killed in an act of one incident (about four assertions and one act each). Names come
from the synthetic Syrian population of :mod:`dalil.linkage.synth`.

The load tool is plain ``http.client``: each client thread keeps one keep-alive connection
and sends requests back to back, with an API token (every request is authorised and
written to the custody ledger, as in real use). Pages, in turn for --seconds each: the
case dashboard; victim search (a random given name or family name from the population,
in Arabic or Latin script, sometimes with a sex filter); a random incident's page.
Reported: requests, errors (any status other than 200), throughput, and latency p50, p95,
p99 and max in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.cases import create_case
from dalil.config import load_settings
from dalil.linkage.synth import generate
from dalil.model.tables import Record
from dalil.model.values import Age, PersonName, UncertainCount, UncertainDate, UncertainPlace
from dalil.records import Records
from dalil.vault.service import Vault
from dalil.workspace import Workspace

PASS = "benchmark passphrase"
BATCH = 2_000


def build(home: Path, victims: int, incidents: int) -> tuple[str, str, list[str], list[str]]:
    """The benchmark workspace; returns (case id, API token, incident ids, search terms)."""
    ws = Workspace.create(load_settings(home))
    Vault.create(ws, PASS, "bench")
    population = generate(people=victims, lists=1, seed=7).people
    start = date(2025, 3, 6)
    with ws.session() as s:
        case = create_case(s, "Benchmark case (synthetic)", actor="bench", fictional=True).id
        user = accounts.add_user(s, "bench", "benchmark password")
        policy.add_member(s, case, user, "investigator", "bench")
        token = accounts.create_token(s, user)
        book = Records(s, case, "bench")
        places = [
            book.add("place", facts={"name": t.ar, "location": UncertainPlace(
                name=t.latin[0], lat=35.0 + i / 10, lon=35.9 + i / 10)}).id
            for i, t in enumerate({p.town.ar: p.town for p in population}.values())
        ][:50]  # fmt: skip
        sources = [book.add("source", facts={"title": f"Report {n}", "material_type": "ngo_report"})
                   for n in range(20)]  # fmt: skip
        infos = [book.add("information_record", refs={"source": src.id}).id for src in sources]
    events: list[str] = []
    tick = time.monotonic()
    for n in range(incidents):
        with ws.session() as s:
            book = Records(s, case, "bench")
            day = start + timedelta(days=n % 5)
            cite = random.Random(n).sample(infos, 3)
            ev = book.add("event", facts={"title": f"Incident {n} (synthetic)"}, sources=cite[:1])
            facts = [
                ("date", UncertainDate.on(day)), ("date", UncertainDate.on(day + timedelta(1))),
                ("place", {"kind": "place", "id": places[n % len(places)]}),
                ("description", "Gunmen went from house to house (synthetic)."),
            ] + [("casualties", UncertainCount.from_reported(f"more than {10 + k}"))
                 for k in range(15)]  # fmt: skip
            for field, value in facts:
                book.assert_fact(ev.id, field, value, sources=cite)
            events.append(ev.id)
    print(f"  {incidents} incidents, {20 * incidents} assertions: {time.monotonic() - tick:.0f} s")
    tick = time.monotonic()
    for lo in range(0, victims, BATCH):
        with ws.session() as s:
            book = Records(s, case, "bench")
            for p in population[lo : lo + BATCH]:
                ar = " ".join(t.ar for t in (p.given, p.father, p.family))
                en = " ".join(t.en for t in (p.given, p.father, p.family))
                person = book.add("person", facts={
                    "name": [PersonName(script="Arab", full=ar), PersonName(script="Latn", full=en)],
                    "sex": p.sex,
                    **({"age": Age.years(p.age)} if p.age is not None else {}),
                }, check_required=False)  # fmt: skip
                book.add("act", refs={"event": events[p.n % len(events)], "victim": person.id},
                         facts={"act_type": "deliberate_killing_non_combatant"})  # fmt: skip
        done = min(lo + BATCH, victims)
        rate = done / (time.monotonic() - tick)
        print(f"\r  victims {done}/{victims} ({rate:.0f}/s)", end="", flush=True)
    print()
    terms = sorted({t for p in population[:2000] for t in (p.given.ar, p.given.en, p.family.en,
                                                           p.family.ar)})  # fmt: skip
    ws.close()
    return case, token, events, terms
