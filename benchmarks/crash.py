"""Crash tests in the style of SQLite's: kill dalil at random points of a write, reopen,
check that nothing acknowledged is lost and nothing half-written is there.

    nice .venv/bin/python benchmarks/crash.py --points 50 [--ops list,vault,import,restore]
        [--jobs 1] [--seed 1] [--dir DIR] [--keep-failures]

Each operation runs as a real ``dalil`` CLI process (``dalil --home H ...``, passphrase
in DALIL_PASSPHRASE) on a copy (``cp -a``) of a workspace prepared once:

- ``list``: ``dalil lists import CASE list.csv`` of a 20,000-row victim list;
- ``vault``: ``dalil vault add CASE f1 .. f12``, 12 files of 512 KiB (6 MiB);
- ``import``: ``dalil import case.json``, the demo case exported (623 records, 4,178
  assertions);
- ``restore``: ``dalil restore backup.zip`` of a workspace holding the demo case, a
  5,000-row list and 6 evidence files, into a new folder.

The kill points are drawn in turn three ways, each from an uncrashed run of the
operation measured twice first:

- by time: SIGKILL after a delay uniform in 0..110 % of the uncrashed duration (most of
  these land in the CLI's start-up, 2.5 s of imports before anything is written);
- by bytes written: SIGKILL once the process's ``wchar`` (/proc/PID/io: every write(2)
  to the database, its journal, the vault) reaches a count uniform in 0..105 % of the
  uncrashed run's, so the kill lands inside the writes whatever the machine's load;
- by failpoint, when the operation passes named failpoints
  (:mod:`dalil.vault.failpoints`: the vault ingest's six per file, one per list import,
  one per record or assertion of a case import, one per table and file of a restore): the uncrashed
  run traced with DALIL_FAILPOINTS_TRACE counts them and ``DALIL_FAILPOINTS=*=crash@N``
  makes the process end itself (exit 137, as kill -9) at the N-th, N uniform.

Acknowledged means printed before the kill: the list's ``imported N rows`` line, each
file's ``SHA  ledger N`` line, ``imported case ID``, restore's ``verified`` line. After
the kill the workspace is reopened (a new engine in this process, as a new ``dalil``
process would; SQLite's ``PRAGMA integrity_check`` first) and checked:

- list: the list is absent, or present with every one of its rows (never part of them);
  absent when acknowledged counts as lost;
- vault: every acknowledged sha256 is an item of the case; every item's blob is there;
- import: the case is absent (no records, no assertions), or present with all of them;
- restore: the target is a complete workspace (every table's row count as in the
  manifest), or holds nothing that stops a new restore: one is then run into the same
  place and must succeed;

and in every case the vault verifies (``Vault.verify``, the code of ``dalil vault
verify``: every blob re-hashed, every item held to its ledger entry, the ledger and its
signed heads recomputed). A run that ends by itself with an error (not killed) is counted
as failed. The table per operation: kill points, killed mid-run, completed before the
kill, acknowledged lost, partial, verify failures, failed; the unacknowledged writes that
committed anyway (allowed: the kill came between commit and acknowledgement) are shown
too.

PostgreSQL: with DALIL_DATABASE_URL naming a server database the script may create
databases on, every workspace gets its own database (``CREATE DATABASE .. TEMPLATE``
of the prepared one), dropped after its check.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from dalil import backup
from dalil.config import load_settings
from dalil.demo import build_demo
from dalil.intake.victim_lists import read_list
from dalil.linkage.service import import_list
from dalil.linkage.tables import ListRecord, VictimList
from dalil.model.tables import Assertion, Base, Case, Record
from dalil.records import exchange
from dalil.records.cases import create_case
from dalil.vault.blobs import BlobStore
from dalil.vault.service import Vault
from dalil.vault.tables import VaultBlob, VaultItem
from dalil.workspace import Workspace

PASS = "crash bench passphrase"
DALIL = str(Path(sys.executable).with_name("dalil"))
SOURCE = "crash"


# -- databases -----------------------------------------------------------------------


class Databases:
    """Where workspaces keep their database: SQLite in the home folder (copied with it),
    or one PostgreSQL database per workspace on the server of ``server_url``."""

    def __init__(self, server_url: str | None) -> None:
        self.server_url = server_url
        self.prefix = f"dalil_crash_{uuid.uuid4().hex[:8]}"
        self._lock = threading.Lock()

    def name(self, tag: str) -> str:
        return f"{self.prefix}_{tag}".replace("-", "_").lower()

    @property
    def backend(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    def _admin(self, sql: str) -> None:
        assert self.server_url
        engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        try:
            with self._lock, engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def url(self, name: str) -> str | None:
        if not self.server_url:
            return None
        return (
            make_url(self.server_url)
            .set(database=self.name(name))
            .render_as_string(hide_password=False)
        )

    def create(self, name: str, template: str | None = None) -> str | None:
        if not self.server_url:
            return None
        like = f" TEMPLATE {self.name(template)}" if template else ""
        self._admin(f"CREATE DATABASE {self.name(name)}{like}")
        return self.url(name)

    def drop(self, name: str) -> None:
        if self.server_url:
            self._admin(f"DROP DATABASE IF EXISTS {self.name(name)} WITH (FORCE)")


@dataclass
class Place:
    """One workspace: its home folder and (PostgreSQL) its database."""

    home: Path
    db_name: str
    url: str | None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
        env |= {"DALIL_PASSPHRASE": PASS, "DALIL_ACTOR": "crash"}
        if self.url:
            env["DALIL_DATABASE_URL"] = self.url
        return env

    @contextmanager
    def open(self) -> Iterator[Workspace]:
        ws = Workspace.open(load_settings(self.home, database_url=self.url))
        try:
            yield ws
        finally:
            ws.close()


def dalil(place: Place, *args: str, **extra: str) -> str:
    """Run the CLI to completion (preparation steps): its stdout, or an error."""
    done = subprocess.run(
        [DALIL, "--home", str(place.home), *args],
        capture_output=True,
        text=True,
        env=place.env() | extra,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"dalil {' '.join(args)}: {done.stderr.strip()[-800:]}")
    return done.stdout


# -- what a check finds ----------------------------------------------------------------


@dataclass
class Finding:
    lost: int = 0  # acknowledged writes missing
    partial: int = 0  # half-written records (or a half-made workspace blocking restore)
    verify: int = 0  # vault verification or SQLite integrity failures
    committed_unacked: int = 0  # stored complete though never acknowledged (allowed)
    notes: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        return bool(self.lost or self.partial or self.verify)


def sqlite_integrity(place: Place) -> str | None:
    """``PRAGMA integrity_check`` of a SQLite workspace (None when fine or not SQLite)."""
    db = place.home / "dalil.sqlite3"
    if place.url or not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        [(answer,)] = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return None if answer == "ok" else f"integrity_check: {answer}"


def vault_faults(ws: Workspace) -> list[str]:
    """Faults of ``dalil vault verify`` (orphan blobs are notices, moved aside, not faults)."""
    report = Vault.unlock(ws, PASS).verify()
    return list(report.faults)


def missing_blobs(ws: Workspace) -> list[str]:
    store = BlobStore(ws.home / "vault")
    with ws.session() as s:
        rows = s.execute(
            select(VaultItem.sha256, VaultBlob.sha256).outerjoin(
                VaultBlob, VaultBlob.sha256 == VaultItem.sha256
            )
        ).all()
    return [item for item, blob in rows if blob is None or not store.path(item).exists()]


# -- operations ------------------------------------------------------------------------


class Operation:
    name = ""
    size = ""  # the workload, in words

    def prepare(self, lab: Lab) -> None:
        raise NotImplementedError

    def place(self, lab: Lab, point: Path, tag: str) -> Place:
        """The workspace this run writes into (by default a copy of the prepared one)."""
        return lab.copy(point / "ws", tag)

    def argv(self, lab: Lab) -> list[str]:
        raise NotImplementedError

    def acks(self, stdout: str) -> set[str]:
        raise NotImplementedError

    def check(self, lab: Lab, place: Place, acked: set[str]) -> Finding:
        raise NotImplementedError


class ListImport(Operation):
    name = "list"

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.size = f"{rows:,}-row CSV"

    def prepare(self, lab: Lab) -> None:
        self.csv = lab.dir / "list.csv"
        write_list(self.csv, self.rows, random.Random(7))

    def argv(self, lab: Lab) -> list[str]:
        return ["lists", "import", lab.case_id, str(self.csv), "--source", SOURCE]

    def acks(self, stdout: str) -> set[str]:
        return {"list"} if f"imported {self.rows} rows" in stdout else set()

    def check(self, lab: Lab, place: Place, acked: set[str]) -> Finding:
        found = Finding()
        with place.open() as ws, ws.session() as s:
            lists = s.scalars(select(VictimList).where(VictimList.source == SOURCE)).all()
            rows = s.scalar(select(func.count()).select_from(ListRecord)) or 0
        if not lists:
            if rows:
                found.partial += 1
                found.notes.append(f"{rows} list rows without their list")
            if acked:
                found.lost += 1
                found.notes.append("acknowledged list absent")
        elif len(lists) == 1 and lists[0].row_count == self.rows == rows:
            found.committed_unacked += 0 if acked else 1
        else:
            found.partial += 1
            found.notes.append(f"{len(lists)} lists, {rows} of {self.rows} rows")
        return found


class VaultIngest(Operation):
    name = "vault"

    def __init__(self, files: int, kib: int) -> None:
        self.n, self.kib = files, kib
        self.size = f"{files} files x {kib} KiB"

    def prepare(self, lab: Lab) -> None:
        folder = lab.dir / "evidence"
        folder.mkdir()
        rng = random.Random(11)
        self.files, self.shas = [], set()
        for i in range(self.n):
            data = rng.randbytes(self.kib * 1024)
            path = folder / f"evidence-{i:02d}.bin"
            path.write_bytes(data)
            self.files.append(str(path))
            self.shas.add(hashlib.sha256(data).hexdigest())

    def argv(self, lab: Lab) -> list[str]:
        return ["vault", "add", lab.case_id, *self.files]

    def acks(self, stdout: str) -> set[str]:
        return {ln.split()[0] for ln in stdout.splitlines() if "  ledger " in ln}

    def check(self, lab: Lab, place: Place, acked: set[str]) -> Finding:
        found = Finding()
        with place.open() as ws:
            with ws.session() as s:
                items = s.scalars(
                    select(VaultItem.sha256).where(VaultItem.case_id == lab.case_id)
                ).all()
            missing = missing_blobs(ws)
        stored = set(items)
        lost = acked - stored
        found.lost += len(lost)
        found.notes += [f"acknowledged item {sha[:16]} absent" for sha in sorted(lost)]
        found.partial += len(missing) + len(stored - self.shas) + (len(items) - len(stored))
        found.notes += [f"item {sha[:16]} without its blob" for sha in missing]
        found.committed_unacked += len((stored & self.shas) - acked)
        return found


class CaseImport(Operation):
    name = "import"

    def prepare(self, lab: Lab) -> None:
        self.doc = lab.case_doc
        data = json.loads(self.doc.read_text(encoding="utf-8"))
        self.case = data["case"]["id"]
        self.records, self.assertions = len(data["records"]), len(data["assertions"])
        self.size = f"demo case: {self.records} records, {self.assertions} assertions"

    def argv(self, lab: Lab) -> list[str]:
        return ["import", str(self.doc)]

    def acks(self, stdout: str) -> set[str]:
        return {"case"} if f"imported case {self.case}" in stdout else set()

    def check(self, lab: Lab, place: Place, acked: set[str]) -> Finding:
        found = Finding()
        with place.open() as ws, ws.session() as s:
            case = s.get(Case, self.case)
            records = (
                s.scalar(
                    select(func.count()).select_from(Record).where(Record.case_id == self.case)
                )
                or 0
            )
            assertions = (
                s.scalar(
                    select(func.count())
                    .select_from(Assertion)
                    .where(Assertion.case_id == self.case)
                )
                or 0
            )
        complete = (records, assertions) == (self.records, self.assertions)
        if case is None and not records and not assertions:
            if acked:
                found.lost += 1
                found.notes.append("acknowledged case absent")
        elif case is not None and complete:
            found.committed_unacked += 0 if acked else 1
        else:
            found.partial += 1
            found.notes.append(
                f"case {'present' if case else 'absent'}, {records}/"
                f"{self.records} records, {assertions}/{self.assertions} "
                "assertions"
            )
        return found


class Restore(Operation):
    name = "restore"

    def prepare(self, lab: Lab) -> None:
        self.archive = lab.backup
        with zipfile.ZipFile(self.archive) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        self.rows: dict[str, int] = manifest["rows"]
        blobs = sum(1 for m in manifest["members"] if m.startswith("vault/blobs/"))
        self.size = f"backup of {sum(self.rows.values()):,} rows and {blobs} blobs"

    def place(self, lab: Lab, point: Path, tag: str) -> Place:
        return Place(point / "target", tag, lab.dbs.create(tag))

    def argv(self, lab: Lab) -> list[str]:
        return ["restore", str(self.archive)]

    def acks(self, stdout: str) -> set[str]:
        return {"restore"} if "\nverified" in "\n" + stdout else set()

    def _complete(self, place: Place) -> list[str]:
        """What the workspace at ``place`` lacks of the backup: rows, blobs, key file."""
        store = BlobStore(place.home / "vault")
        with place.open() as ws, ws.session() as s:
            counts = {
                t.name: s.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables
            }
            blobs = s.scalars(select(VaultBlob.sha256)).all()
        gaps = [
            f"table {t}: {counts.get(t)} of {n} rows"
            for t, n in self.rows.items()
            if counts.get(t) != n
        ]
        gaps += [f"blob {sha[:16]} missing" for sha in blobs if not store.path(sha).exists()]
        if not (place.home / "keys" / "keyfile.json").exists():
            gaps.append("key file missing")
        return gaps

    def check(self, lab: Lab, place: Place, acked: set[str]) -> Finding:
        found = Finding()
        if (place.home / "workspace.toml").exists():
            gaps = self._complete(place)
            if gaps:  # a half-made workspace, which also refuses a new restore
                found.partial += 1
                found.notes += ["half-made workspace at the target", *gaps[:3]]
            elif not acked:
                found.committed_unacked += 1
            return found
        if acked:
            found.lost += 1
            found.notes.append("acknowledged restore: no workspace at the target")
        # nothing there may stop a new restore into the same place: run one (a process of
        # its own: restore runs migrations, whose state is per process, not per thread)
        again = subprocess.run(
            [DALIL, "--home", str(place.home), "restore", str(self.archive)],
            capture_output=True,
            text=True,
            env=place.env(),
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if "had committed when it was stopped" in again.stderr:
            # killed after its commit, before its rename: the new restore put it in place
            # (and said so); it must be complete like any other
            gaps = self._complete(place)
            if gaps:
                found.partial += 1
                found.notes += ["a committed restore put in place is incomplete", *gaps[:3]]
            else:
                found.committed_unacked += 1
        elif again.returncode != 0:
            found.partial += 1
            said = (again.stderr.strip().splitlines() or ["?"])[-1][:300]
            found.notes.append(f"a new restore is refused: {said}")
            return found
        gaps = self._complete(place)
        found.partial += bool(gaps)
        found.notes += gaps[:3]
        return found


# -- the lab ---------------------------------------------------------------------------


def write_list(path: Path, rows: int, rng: random.Random) -> None:
    givens = ["Ahmad", "Rami", "Huda", "Lina", "Omar", "Samir", "Yara", "Nour", "Karim"]
    families = ["Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Darwish", "Awad"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["record_id", "full_name", "sex", "age", "date_of_death"])
        for i in range(rows):
            out.writerow(
                [
                    f"C-{i}",
                    f"{rng.choice(givens)} {rng.choice(givens)} {rng.choice(families)}",
                    rng.choice("MF"),
                    rng.randrange(1, 90),
                    f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                ]
            )


class Lab:
    """The prepared workspace (a case, a vault) and the inputs shared by the operations,
    made in this process through the library (only the operations under test run as
    ``dalil`` processes). ``backup_rows`` and ``backup_files`` size the workspace the
    restore's backup is taken of (beside the demo case)."""

    def __init__(
        self,
        root: Path,
        dbs: Databases,
        say: Any = print,
        backup_rows: int = 20_000,
        backup_files: int = 12,
    ) -> None:
        self.dir, self.dbs, self.say = root, dbs, say
        self.backup_rows, self.backup_files = backup_rows, backup_files
        self.base = Place(root / "base", "base", dbs.create("base"))
        say("preparing the workspace")
        ws = Workspace.create(load_settings(self.base.home, database_url=self.base.url))
        try:
            Vault.create(ws, PASS, "crash")
            with ws.session() as s:
                self.case_id: str = create_case(s, "Crash case", actor="crash").id
        finally:
            ws.close()
        self._case_doc: Path | None = None
        self._backup: Path | None = None

    def copy(self, home: Path, tag: str) -> Place:
        home.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-a", str(self.base.home), str(home)], check=True)
        return Place(home, tag, self.dbs.create(tag, template="base"))

    def drop(self, place: Place) -> None:
        shutil.rmtree(place.home.parent, ignore_errors=True)
        self.dbs.drop(place.db_name)

    @property
    def case_doc(self) -> Path:
        """The demo case exported as a case document (built on first use)."""
        if self._case_doc is None:
            self.say("building the demo case to export")
            demo = Place(self.dir / "demo" / "ws", "demo", self.dbs.create("demo"))
            ws = Workspace.create(load_settings(demo.home, database_url=demo.url))
            try:
                build_demo(ws)
                with ws.session() as s:
                    case_id = s.scalars(select(Case.id)).one()
                    doc = exchange.export_case(s, case_id)
            finally:
                ws.close()
            self._case_doc = self.dir / "case.json"
            self._case_doc.write_text(exchange.dumps(doc), encoding="utf-8")
            self.drop(demo)
        return self._case_doc

    @property
    def backup(self) -> Path:
        """A backup of a workspace holding the demo case, a list and evidence files."""
        if self._backup is None:
            doc = exchange.parse(self.case_doc.read_bytes(), max_bytes=1 << 30)
            self.say("building the workspace to back up")
            src = self.copy(self.dir / "source" / "ws", "source")
            small = self.dir / "list-backed-up.csv"
            write_list(small, self.backup_rows, random.Random(3))
            parsed = read_list(small)
            folder = self.dir / "backed-up"
            folder.mkdir()
            rng = random.Random(5)
            with src.open() as ws:
                with ws.session() as s:
                    exchange.import_case(s, doc)
                    import_list(s, self.case_id, "backed up", parsed, "crash")
                vault = Vault.unlock(ws, PASS)
                for i in range(self.backup_files):
                    path = folder / f"f{i}.bin"
                    path.write_bytes(rng.randbytes(512 * 1024))
                    vault.add(self.case_id, path, "crash")
                self._backup = self.dir / "backup.zip"
                backup.backup(ws, self._backup)
            self.drop(src)
        return self._backup


# -- one kill point ----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Where to kill: after ``seconds``, once the process has written ``wbytes`` bytes
    (its ``wchar`` in /proc/PID/io: every write(2), to the database, the vault, its
    journal), or at its ``failpoint``-th failpoint; none of them: let it finish."""

    seconds: float | None = None
    wbytes: int | None = None
    failpoint: int | None = None
    after_connect: bool = False  # ``seconds`` counted from the first socket it opens
    #: or as soon as a file matching this glob (under the workspace's parent) exists
    appears: str | None = None

    def __str__(self) -> str:
        if self.appears is not None:
            return f"when {self.appears} appears"
        if self.failpoint is not None:
            return f"failpoint #{self.failpoint}"
        if self.wbytes is not None:
            return f"after {self.wbytes:,} bytes written"
        if self.seconds is not None:
            return f"{self.seconds:.2f} s after " + (
                "connecting" if self.after_connect else "start"
            )
        return "uncrashed"


@dataclass
class Run:
    killed: bool  # still running when killed (or died at its failpoint)
    failed: str | None  # ended by itself with an error
    acked: set[str]
    seconds: float
    wbytes: int  # bytes the process was last seen to have written
    connected: float | None  # seconds from start to its first socket (PostgreSQL)
    finding: Finding
    plan: Plan
    where: Path | None = None


def written(pid: int) -> int | None:
    """Bytes process ``pid`` has written so far (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/io", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def has_socket(pid: int) -> bool:
    """Whether process ``pid`` holds a socket (on PostgreSQL: it has connected)."""
    try:
        return any(
            os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
            for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return False


def supervise(proc: subprocess.Popen[bytes], plan: Plan, root: Path) -> tuple[int, float | None]:
    """Wait for ``proc``, killing it where ``plan`` says: the bytes it was seen writing
    and when (seconds from its start) it first held a socket, if it did."""
    start, seen = time.monotonic(), 0
    connected: float | None = None
    while proc.poll() is None:
        now = written(proc.pid)
        seen = max(seen, now or 0)
        clock = time.monotonic() - start
        if connected is None and has_socket(proc.pid):
            connected = clock
        if plan.after_connect:
            late = connected is not None and clock - connected >= (plan.seconds or 0)
        else:
            late = plan.seconds is not None and clock >= plan.seconds
        if plan.appears is not None and any(root.glob(plan.appears)):
            late = True
        if late or (plan.wbytes is not None and seen >= plan.wbytes):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait()
    return seen, connected


def run_once(
    lab: Lab,
    op: Operation,
    tag: str,
    plan: Plan = Plan(),
    trace: Path | None = None,
    keep: bool = False,
) -> Run:
    """One kill point: a fresh copy of the workspace, the operation killed as planned,
    then every check of the module docstring; the copy is removed unless kept."""
    point = lab.dir / "points" / tag
    point.mkdir(parents=True)
    place = op.place(lab, point, tag)
    env = place.env()
    if plan.failpoint is not None:
        env["DALIL_FAILPOINTS"] = f"*=crash@{plan.failpoint}"
    if trace is not None:
        env["DALIL_FAILPOINTS_TRACE"] = str(trace)
    out, err = point / "stdout", point / "stderr"
    start = time.monotonic()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(
            [DALIL, "--home", str(place.home), *op.argv(lab)],
            stdout=fo,
            stderr=fe,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        wbytes, connected = supervise(proc, plan, place.home.parent)
    seconds = time.monotonic() - start
    killed = proc.returncode in (-signal.SIGKILL, 137)
    failed = None
    if proc.returncode != 0 and not killed:
        failed = (err.read_text(errors="replace").strip().splitlines() or ["?"])[-1][:300]
    acked = op.acks(out.read_text(errors="replace"))
    try:
        finding = op.check(lab, place, acked)
        problem = sqlite_integrity(place)
        if problem:
            finding.verify += 1
            finding.notes.append(problem)
        if (place.home / "workspace.toml").exists():
            with place.open() as ws:
                faults = vault_faults(ws)
            finding.verify += bool(faults)
            finding.notes += faults[:3]
    except Exception as exc:  # a workspace that does not even open is a failure to report
        finding = Finding(verify=1, notes=[f"reopening failed: {type(exc).__name__}: {exc}"])
    if (finding.bad or failed) and keep:
        where: Path | None = point
    else:
        lab.drop(place)
        shutil.rmtree(point, ignore_errors=True)
        where = None
    return Run(killed, failed, acked, seconds, wbytes, connected, finding, plan, where)


# -- the campaign ------------------------------------------------------------------------


@dataclass
class Tally:
    op: Operation
    runs: list[Run] = field(default_factory=list)
    duration: float = 0.0
    wbytes: int = 0
    points_passed: int = 0

    def row(self) -> list[str]:
        r = self.runs
        return [
            self.op.name,
            str(len(r)),
            str(sum(x.killed for x in r)),
            str(sum(not x.killed and not x.failed for x in r)),
            str(sum(x.finding.lost for x in r)),
            str(sum(x.finding.partial for x in r)),
            str(sum(x.finding.verify for x in r)),
            str(sum(bool(x.failed) for x in r)),
            str(sum(x.finding.committed_unacked for x in r)),
        ]


HEADER = [
    "operation",
    "kill points",
    "killed mid-run",
    "completed before kill",
    "acknowledged lost",
    "partial",
    "verify failures",
    "failed",
    "committed, unacknowledged",
]


def plans(
    rng: random.Random,
    points: int,
    seconds: float,
    wbytes: int,
    failpoints: int,
    connected: float | None = None,
) -> list[Plan]:
    """Kill points drawn in turn by time (uniform in 0..110 % of the uncrashed duration),
    by bytes written (uniform in 0..105 % of the uncrashed run's) and, when the operation
    passes failpoints, by failpoint (uniform among them). On PostgreSQL the client writes
    to a socket, which /proc does not count: there the bytes are replaced by time counted
    from the process's connection (uniform in 0..105 % of the uncrashed run's time
    connected), which skips the start-up."""
    kinds = ["time", "connected" if connected is not None else "bytes"]
    kinds += ["failpoint"] if failpoints else []
    out = []
    for i in range(points):
        kind = kinds[i % len(kinds)]
        if kind == "time":
            out.append(Plan(seconds=rng.uniform(0, 1.1 * seconds)))
        elif kind == "connected":
            span = 1.05 * (seconds - (connected or 0))
            out.append(Plan(seconds=rng.uniform(0, span), after_connect=True))
        elif kind == "bytes":
            out.append(Plan(wbytes=rng.randint(0, int(1.05 * wbytes))))
        else:
            out.append(Plan(failpoint=rng.randint(1, failpoints)))
    return out


def campaign(
    lab: Lab,
    op: Operation,
    points: int,
    rng: random.Random,
    jobs: int,
    keep: bool,
    say: Any = print,
    tallies: list[Tally] | None = None,
) -> Tally:
    """Measure ``op`` uncrashed (twice, traced), then run ``points`` kill points; the
    tally joins ``tallies`` at once, so an interrupted campaign still reports its runs."""
    op.prepare(lab)
    tally = Tally(op)
    if tallies is not None:
        tallies.append(tally)
    say(f"[{op.name}] {op.size}: measuring the uncrashed run")
    controls, writes, connects = [], [], []
    for i in range(2):
        trace = lab.dir / f"trace-{op.name}-{i}"
        run = run_once(lab, op, f"{op.name}-control{i}", trace=trace, keep=keep)
        if run.failed or run.finding.bad or run.killed or not run.acked:
            raise RuntimeError(f"the uncrashed {op.name} run is not clean: {run}")
        controls.append(run.seconds)
        writes.append(run.wbytes)
        if run.connected is not None:
            connects.append(run.connected)
        tally.points_passed = len(trace.read_text().splitlines()) if trace.exists() else 0
    tally.duration = statistics.median(controls)
    tally.wbytes = max(writes)
    say(
        f"[{op.name}] uncrashed {tally.duration:.2f} s, {tally.wbytes:,} bytes written, "
        f"{tally.points_passed} failpoints passed"
    )
    connected = statistics.median(connects) if lab.dbs.server_url and connects else None
    drawn = plans(rng, points, tally.duration, tally.wbytes, tally.points_passed, connected)

    def one(i: int) -> Run:
        return run_once(lab, op, f"{op.name}-{i}", drawn[i], keep=keep)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for i, run in enumerate(pool.map(one, range(points)), start=1):
            tally.runs.append(run)
            if run.finding.bad or run.failed:
                say(
                    f"[{op.name}] point {i} ({run.plan}, acked {len(run.acked)}): "
                    f"{'FAILED ' + run.failed if run.failed else ''} "
                    f"{'; '.join(run.finding.notes[:4])}"
                    + (f" (kept in {run.where})" if run.where else "")
                )
            elif i % 10 == 0:
                say(f"[{op.name}] {i}/{points} points")
    return tally


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def table(tallies: list[Tally]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(t.row()) + " |" for t in tallies]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=50, help="kill points per operation")
    parser.add_argument("--ops", default="list,vault,import,restore")
    parser.add_argument("--jobs", type=int, default=1, help="kill points run at once")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--list-rows", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--backup-rows", type=int, default=5_000)
    parser.add_argument("--backup-files", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--keep-failures",
        action="store_true",
        help="keep the workspace of every bad kill point for inspection",
    )
    args = parser.parse_args(argv)
    known: dict[str, Operation] = {
        "list": ListImport(args.list_rows),
        "vault": VaultIngest(args.files, 512),
        "import": CaseImport(),
        "restore": Restore(),
    }
    ops = [known[name] for name in args.ops.split(",")]
    server = os.environ.get("DALIL_DATABASE_URL")
    dbs = Databases(server)
    started = datetime.now(UTC)
    root = Path(tempfile.mkdtemp(prefix="dalil-crash-", dir=args.dir))

    def say(msg: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)

    tallies: list[Tally] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        lab = Lab(root, dbs, say, backup_rows=args.backup_rows, backup_files=args.backup_files)
        rng = random.Random(args.seed)
        for op in ops:
            done = campaign(lab, op, args.points, rng, args.jobs, args.keep_failures, say, tallies)
            say(
                f"[{op.name}] done: "
                + " | ".join(f"{h} {v}" for h, v in zip(HEADER, done.row(), strict=True))
            )
    except KeyboardInterrupt:
        say("interrupted: the table covers the kill points run so far")
    finally:
        if server:
            for name in ("base", "demo", "source"):
                dbs.drop(name)
        if not args.keep_failures:
            shutil.rmtree(root, ignore_errors=True)
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    print()
    print(f"dalil crash test, {started:%Y-%m-%d %H:%M} UTC, {dbs.backend}, {machine()}")
    print(f"command: {' '.join(sys.argv)}; {minutes:.1f} min")
    for t in tallies:
        print(
            f"- {t.op.name}: {t.op.size}; uncrashed {t.duration:.2f} s, "
            f"{t.wbytes:,} bytes written, {t.points_passed} failpoints passed"
        )
    print()
    print(table(tallies))
    bad = sum(x.finding.bad or bool(x.failed) for t in tallies for x in t.runs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
