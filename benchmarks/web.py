"""Web latency under load: a case with 100,000 documented victims, served by `dalil serve`
in its own process and driven by 20 concurrent clients from this process over loopback.

    .venv/bin/python benchmarks/web.py [--victims 100000] [--incidents 500] [--clients 20]
                                       [--seconds 30] [--workers 2] [--dir DIR]
                                       [--only PAGE ...] [--warm-incidents]

On PostgreSQL: set ``DALIL_DATABASE_URL`` (an empty database) for the build and every
later run; the server processes inherit it. The build runs ``ANALYZE`` after each batch
and ``VACUUM ANALYZE`` at the end, standing in for the autovacuum of a production server.

The case: --incidents incidents with 20 sourced assertions each (title, date, place,
description, reported counts from several sources, disputed dates: 10,000 assertions at
the default), and --victims public persons, each with an Arabic and a Latin name, sex and
age, killed in an act of one incident (about four assertions and one act each). Names come
from the synthetic Syrian population of :mod:`dalil.linkage.synth`.

The load tool is plain ``http.client``: each client thread keeps one keep-alive connection
and sends requests back to back, with an API token (every request is authorised and
written to the custody ledger, as in real use). Pages, in turn for --seconds each: the
case dashboard; victim search (a random given name or family name from the population,
in Arabic or Latin script, sometimes with a sex filter); a random incident's page (its
200 or so victims and acts, places by name, map, timeline, sources); a random victim's
person page (names, the act and its incident, sources; ``--only`` picks pages). An
incident's page is kept per case revision in each server process once computed: by
default most incident pages are measured cold (500 incidents, two processes);
``--warm-incidents`` first visits every incident, as a server that has run a while.
Reported: requests, errors (any status other than 200), throughput, latency p50, p95,
p99 and max in milliseconds, and the server's processor time per request (all its
processes, from ``/proc``; Linux only).

"map page" (issue 23; target: first paint of the map ≤ 1 s) is measured in Chromium
(Playwright, Debian's ``/usr/bin/chromium``, 1366 x 900), not under load: --map-runs
times, a fresh browser context opens the case's map (cold: no cached script, style or
boundaries) and opens it again (warm). For each load, in ms from navigation start (the
page's own Performance API): the HTML's response end, the first contentful paint, the
markers drawn (map.js's mark ``dalil-map-markers``), painted (``dalil-map-painted``, the
start of the second frame after) and the boundaries and places drawn
(``dalil-map-layers``). Then a drag of about a second across the map and a wheel zoom in
and out, with the interval between animation frames: median, p95, max and frames over
50 ms. ``--only "map page"`` measures only this.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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
from urllib.parse import quote

from sqlalchemy import func, select, text

from dalil.access import accounts, policy
from dalil.config import load_settings
from dalil.linkage.synth import generate
from dalil.model.tables import Assertion, Record
from dalil.model.values import Age, PersonName, UncertainCount, UncertainDate, UncertainPlace
from dalil.records import Records
from dalil.records.cases import create_case
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
        # every town of the population, as a real case's place list would be
        towns = list({p.town.ar: p.town for p in population}.values())
        places = [
            book.add("place", facts={"name": t.ar, "location": UncertainPlace(
                name=t.latin[0], lat=35.0 + i / 10, lon=35.9 + i / 10)}).id
            for i, t in enumerate(towns)
        ]  # fmt: skip
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
                names = [PersonName(script="Arab", full=ar), PersonName(script="Latn", full=en)]
                person = book.add("person", facts={
                    "name": names,
                    "sex": p.sex,
                    **({"age": Age.years(p.age)} if p.age is not None else {}),
                }, check_required=False)  # fmt: skip
                book.add("act", refs={"event": events[p.n % len(events)], "victim": person.id},
                         facts={"act_type": "deliberate_killing_non_combatant"})  # fmt: skip
        if not ws.settings.is_sqlite:
            # what a PostgreSQL server's autovacuum does as tables grow (this machine's
            # server runs without it): without statistics the planner picks poor indexes
            with ws.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        done = min(lo + BATCH, victims)
        rate = done / (time.monotonic() - tick)
        print(f"\r  victims {done}/{victims} ({rate:.0f}/s)", end="", flush=True)
    print()
    if not ws.settings.is_sqlite:  # and what it does once the load is in: visibility maps
        with ws.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # let index-only scans skip the table
    terms = sorted({t for p in population[:2000] for t in (p.given.ar, p.given.en, p.family.en,
                                                           p.family.ar)})  # fmt: skip
    ws.close()
    return case, token, events, terms


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load(port: int, token: str, path: Callable[[random.Random], str], clients: int,
         seconds: float) -> dict[str, float]:  # fmt: skip
    """``clients`` threads, each on one keep-alive connection, for ``seconds``."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            conn.request("GET", path(rng), headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t0) * 1000)
            bad += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.append(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    begun = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - begun
    return {"requests": len(latencies), "errors": sum(errors), "rps": len(latencies) / took,
            "p50": statistics.median(latencies), "p95": _percentile(latencies, 0.95),
            "p99": _percentile(latencies, 0.99), "max": max(latencies)}  # fmt: skip


def server_cpu(pid: int) -> float | None:
    """Processor seconds used so far by process ``pid`` and its children (the server's
    worker processes); None where ``/proc`` is missing."""
    total = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended while we looked
                continue
            if stat.parent.name == str(pid) or fields[1] == str(pid):
                total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK") if total else None


#: the map page's timings, in ms from navigation start (see the module's docstring)
_MAP_TIMES = """() => {
  const at = name => (performance.getEntriesByName(name)[0] || {startTime: NaN}).startTime;
  return {html: performance.getEntriesByType('navigation')[0].responseEnd,
          paint: at('first-contentful-paint'), markers: at('dalil-map-markers'),
          painted: at('dalil-map-painted'), layers: at('dalil-map-layers'),
          points: JSON.parse(document.getElementById('map-data').textContent).points.length};
}"""
#: records the interval between animation frames in window.__frames
_FRAMES = """() => { window.__frames = []; let last = performance.now();
  const tick = t => { window.__frames.push(t - last); last = t;
                      if (!window.__stop) { requestAnimationFrame(tick); } };
  requestAnimationFrame(tick); }"""


def map_page(port: int, home: Path, case: str, runs: int) -> dict[str, list[float]]:
    """The map page in Chromium (see the module's docstring): timings of each cold and
    warm load (keys ``cold <what>``, ``warm <what>``) and the frame intervals of the pans
    (``frames``), all in ms."""
    from playwright.sync_api import sync_playwright

    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        cookie = accounts.start_session(s, accounts.find_user(s, "bench")).token
    base = f"http://127.0.0.1:{port}"
    out: dict[str, list[float]] = {"frames": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_cookies([{"name": "dalil_session", "value": cookie, "url": base}])
            page = context.new_page()
            for kind in ("cold", "warm"):
                page.goto(f"{base}/cases/{case}/map?lang=en")
                page.wait_for_selector("#map[data-layers='1']", state="attached", timeout=60_000)
                page.wait_for_function("() => performance.getEntriesByName('dalil-map-painted')"
                                       ".length > 0")  # fmt: skip
                for key, value in page.evaluate(_MAP_TIMES).items():
                    out.setdefault(f"{kind} {key}", []).append(float(value))
            box = page.locator("#map").bounding_box()
            assert box is not None
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.evaluate(_FRAMES)
            page.mouse.move(x, y)
            page.mouse.down()
            for step in range(60):  # about a second at 60 moves a second
                page.mouse.move(x + 5 * step, y + 2 * step)
                page.wait_for_timeout(16)
            page.mouse.up()
            for delta in (-500, 500):
                page.mouse.wheel(0, delta)
                page.wait_for_timeout(600)
            out["frames"] += page.evaluate(
                "() => { window.__stop = true; return window.__frames; }"
            )
            context.close()
        browser.close()
    return out


def walking(case: str, events: list[str]) -> Callable[[random.Random], str]:
    """Every incident's page in turn, shared by all clients (the cache warm-up)."""
    turn = itertools.count()
    return lambda rng: f"/cases/{case}/incidents/{events[next(turn) % len(events)]}"


def serve(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`dalil serve` on the workspace, in its own process(es); returns once it answers."""
    env = {**os.environ, "DALIL_PASSPHRASE": PASS}
    dalil = Path(sys.executable).with_name("dalil")
    command = [str(dalil), "--home", str(home), "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 180  # a loaded machine starts its workers slowly
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--victims", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="dalil serve --workers")
    parser.add_argument("--dir", type=Path, default=None, help="workspace to build (or reuse)")
    parser.add_argument("--only", nargs="*", default=None,
                        help='pages to measure (e.g. "person page"); all by default')  # fmt: skip
    parser.add_argument("--map-runs", type=int, default=5,
                        help="loads of the map page in Chromium (cold, then warm)")  # fmt: skip
    parser.add_argument("--warm-incidents", action="store_true",
                        help="before the incident page, visit every incident a few times, so "
                             "that each server process holds every incident page in its case "
                             "cache (a server that has run a while); cold by default")  # fmt: skip
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="dalil-web-bench-"))
    home, meta = base / "ws", base / "bench.txt"
    if not meta.exists():
        print(f"building the case in {home}")
        tick = time.monotonic()
        case, token, events, terms = build(home, args.victims, args.incidents)
        meta.write_text("\n".join([case, token, " ".join(events), "\t".join(terms)]), "utf-8")
        print(f"built in {time.monotonic() - tick:.0f} s")
    case, token, events_line, terms_line = meta.read_text("utf-8").split("\n")
    events, terms = events_line.split(), terms_line.split("\t")
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        backend = "SQLite" if ws.settings.is_sqlite else "PostgreSQL"
        persons = s.scalar(select(func.count()).select_from(Record).where(Record.kind == "person"))
        assertions = s.scalar(select(func.count()).select_from(Assertion))
        # a sample of victims for the person page, spread over the documentation order
        victims = list(s.scalars(select(Record.id).where(Record.kind == "person")
                                 .order_by(Record.id).limit(5000)))  # fmt: skip
    print(f"case: {persons} persons, {assertions} assertions, {len(events)} incidents")
    pages: dict[str, Callable[[random.Random], str]] = {
        "dashboard": lambda rng: f"/cases/{case}",
        "victim search": lambda rng: (
            f"/cases/{case}/victims?q={quote(rng.choice(terms))}"
            + ("&sex=female" if rng.random() < 0.3 else "")
        ),
        "incident page": lambda rng: f"/cases/{case}/incidents/{rng.choice(events)}",
        "person page": lambda rng: f"/cases/{case}/persons/{rng.choice(victims)}",
    }
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only}
    measure_map = not args.only or "map page" in args.only
    server = serve(home, args.port, args.workers)
    mapped: dict[str, list[float]] = {}
    try:
        if measure_map:
            mapped = map_page(args.port, home, case, args.map_runs)
        rows = []
        for name, path in pages.items():
            # warm-up, not counted: until the slowest answer of a round is under a second
            # (the first dashboard of each server process computes the case overview)
            for _ in range(15):
                if load(args.port, token, path, args.clients, 2.0)["max"] < 1000:
                    break
            if name == "incident page" and args.warm_incidents:
                # the clients walk the list in turn, four times over at about 50 pages a
                # second: each connection stays on one server process, 20 reach both
                load(args.port, token, walking(case, events), args.clients, 4 * len(events) / 50)
            before = server_cpu(server.pid)
            result = load(args.port, token, path, args.clients, args.seconds)
            after = server_cpu(server.pid)
            if before is not None and after is not None:
                result["cpu"] = 1000 * (after - before) / result["requests"]
            rows.append((name, result))
    finally:
        server.terminate()
        server.wait(30)
    print(f"\n{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"{backend} · {args.workers} server processes · {args.clients} clients · "
          f"{args.seconds:.0f} s per page")  # fmt: skip
    print(f"{'page':16} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'cpu ms/req':>10}")  # fmt: skip
    for name, r in rows:
        cpu = f"{r['cpu']:>10.2f}" if "cpu" in r else f"{'n/a':>10}"
        times = " ".join(f"{r[k]:>7.1f}" for k in ("rps", "p50", "p95", "p99", "max"))
        print(f"{name:16} {r['requests']:>9.0f} {r['errors']:>7.0f} {times} {cpu}")
    if mapped:
        print(f"\nmap page: Chromium 1366 x 900, {mapped['cold points'][0]:.0f} points, "
              f"{args.map_runs} loads each cold and warm; ms from navigation start, "
              f"median (max)")  # fmt: skip
        names = ("html", "paint", "markers", "painted", "layers")
        print(f"{'':6}" + "".join(f"{n:>18}" for n in
                                  ("HTML", "first paint", "markers drawn", "markers painted",
                                   "boundaries")))  # fmt: skip
        for kind in ("cold", "warm"):
            cells = [f"{statistics.median(mapped[f'{kind} {n}']):>8.0f} "
                     f"({max(mapped[f'{kind} {n}']):>6.0f})" for n in names]  # fmt: skip
            print(f"{kind:6}" + "".join(f"{c:>18}" for c in cells))
        frames = mapped["frames"][1:]
        print(f"pan and zoom: {len(frames)} frames, interval median "
              f"{statistics.median(frames):.1f} ms, p95 {_percentile(frames, 0.95):.1f} ms, "
              f"max {max(frames):.1f} ms, {sum(f > 50 for f in frames)} over 50 ms")  # fmt: skip
    if args.dir is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
