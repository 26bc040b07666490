"""Restoring a backup into a new workspace: all or nothing.

Restore refuses an existing workspace (and a database that already holds dalil tables)
and checks the whole archive before writing anything (:func:`~dalil.backup.validation.
check_archive`). It then builds the workspace in a temporary folder beside the target,
loads everything in one transaction (with the migrations, so PostgreSQL keeps nothing of
a refused restore), verifies the result in that transaction
(:mod:`dalil.backup.verification`) and commits only if nothing was refused. The folder is
renamed into place only after the commit; a restore stopped between the two is finished
by the next restore into the same place.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    InternalError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)
from sqlalchemy.orm import Session

from dalil.backup.archive import FILE_DIRS, FILE_MEMBER, table_members
from dalil.backup.validation import (
    DEFAULT_LIMITS,
    ZIP_ERRORS,
    Limits,
    check_archive,
    file_bytes,
    table_rows,
)
from dalil.backup.verification import RestoreReport, verified
from dalil.config import Settings
from dalil.errors import InvalidInput, StorageError, WorkspaceExists
from dalil.model.registry import load_tables
from dalil.vault import failpoints
from dalil.vault.ledger import SignedHead
from dalil.workspace import MARKER, alembic_config, make_engine, make_private

#: Names a restore puts in the workspace home; a place already holding one is refused.
PLACED = (MARKER, "dalil.sqlite3", "dalil.sqlite3-wal", "dalil.sqlite3-shm", *FILE_DIRS)


def _free_bytes(home: Path) -> int:
    place = home.absolute()
    while not place.exists() and place != place.parent:
        place = place.parent
    return shutil.disk_usage(place).free


def _refuse_occupied(home: Path) -> None:
    taken = [n for n in PLACED if (home / n).exists()] if home.is_dir() else []
    if home.exists() and not home.is_dir():
        taken = [home.name]
    if taken:
        raise WorkspaceExists(
            f"restore needs an empty place: {', '.join(taken)} "
            f"{'is' if len(taken) == 1 else 'are'} there",
            path=str(home),
        )


def restore(
    archive: Path,
    settings: Settings,
    say: Callable[[str], None] = lambda _m: None,
    checkpoints: Sequence[SignedHead] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> RestoreReport:
    """Restore ``archive`` into a new workspace at ``settings.home`` and verify it (against
    ``checkpoints`` kept outside the backup too, see :func:`verify_restored`).

    All or nothing. The whole archive is checked first (:func:`check_archive`), writing
    nothing; then the workspace is built in a temporary folder beside ``settings.home``
    (same file system) and renamed into place only once the database transaction has
    committed. A damaged or hostile archive gives :class:`InvalidInput` and leaves no
    folder, no SQLite file and, on PostgreSQL, no table or row (migrations and rows are one
    transaction). A PostgreSQL database that already holds a dalil schema is refused.
    """
    where = archive.name
    home = settings.home
    _refuse_occupied(home)
    try:
        zf = zipfile.ZipFile(archive)
    except ZIP_ERRORS as err:
        raise InvalidInput(
            f"not a readable zip archive ({err.__class__.__name__})", path=where
        ) from None
    with zf:
        manifest = check_archive(zf, where, limits, _free_bytes(home))
        home.absolute().parent.mkdir(parents=True, exist_ok=True)
        if _finish_abandoned(home):
            raise WorkspaceExists(
                "an earlier restore into this place had committed when it was stopped; it "
                "is now in place (check it with `dalil vault verify`)",
                path=str(home),
            )
        temp = Path(
            tempfile.mkdtemp(
                prefix=f".{home.name}.restoring-{os.getpid()}-", dir=home.absolute().parent
            )
        )
        try:
            staged = settings.model_copy(update={"home": temp})
            report = _load(zf, where, manifest, staged, say, checkpoints, limits)
            (temp / MARKER).write_text(
                "# dalil workspace marker; settings go in dalil.toml\nformat = 1\n",
                encoding="utf-8",
            )
            _refuse_occupied(home)
            failpoints.hit("restore_before_rename")
            _place(temp, home)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return report


def _finish_abandoned(home: Path) -> bool:
    """Deal with the temporary folders of earlier restores into ``home`` whose process is
    gone (their names carry the pid); True if one of them was put in place.

    A folder holding the workspace marker was stopped after its database had committed
    and before the rename: on PostgreSQL its rows are already in the database, so the
    folder is the only way to open them, and it is renamed into place. Any other folder
    never became a workspace and is removed."""
    prefix = f".{home.name}.restoring-"
    for left in sorted(home.absolute().parent.glob(f"{glob.escape(prefix)}*")):
        pid = left.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if (left / MARKER).is_file():
                _place(left, home)
                return True
            shutil.rmtree(left, ignore_errors=True)
        except OSError:
            pass  # alive (another user's process): leave it
    return False


def _place(temp: Path, home: Path) -> None:
    """Move the finished workspace from ``temp`` to ``home``: one rename when ``home`` is
    absent or an empty folder; otherwise entry by entry with the marker last, so a crash
    midway leaves no workspace that opens."""
    if not home.exists() or (home.is_dir() and not any(home.iterdir())):
        if home.exists():
            home.rmdir()
        os.rename(temp, home)
    else:
        for entry in sorted(temp.iterdir(), key=lambda p: p.name == MARKER):
            os.rename(entry, home / entry.name)
        temp.rmdir()
    fd = os.open(home.absolute().parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load(
    zf: zipfile.ZipFile,
    where: str,
    manifest: dict[str, Any],
    staged: Settings,
    say: Callable[[str], None],
    checkpoints: Sequence[SignedHead],
    limits: Limits,
) -> RestoreReport:
    """Migrate, load every table and write the files in one database transaction, verify
    in it, and commit only if nothing was refused."""
    make_private(staged)
    engine = make_engine(staged)
    tables = table_members()
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names()) & {
                *load_tables().tables,
                "alembic_version",
            }
            if present or MigrationContext.configure(conn).get_current_revision() is not None:
                raise WorkspaceExists(
                    "restore needs an empty database: the one at DALIL_DATABASE_URL "
                    f"already holds dalil tables ({', '.join(sorted(present)[:3])}, ...)"
                )
            conn.rollback()
            with conn.begin():
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                with Session(bind=conn) as s:
                    _clear_seeded(s)
                    for name, table in tables.items():
                        say(f"table {table.name}")
                        digest = manifest["members"][name]
                        _load_table(s, zf, name, table, digest, limits, f"{where}:{name}")
                        failpoints.hit("restore_table_loaded")
                    _reset_sequences(s)
                    s.flush()
                    _write_files(zf, where, manifest, staged.home)
                    report = verified(s, where, staged.home, manifest["rows"], checkpoints)
    except SQLAlchemyError as err:  # rows it refuses are InvalidInput, raised in _insert
        raise StorageError(
            f"the database failed during restore ({err.__class__.__name__}); nothing was kept"
        ) from err
    finally:
        engine.dispose()
    return report


def _load_table(
    s: Session, zf: zipfile.ZipFile, name: str, table: Any, digest: str, limits: Limits,
    where: str,
) -> None:  # fmt: skip
    """Insert one table member's rows in batches of 5,000 (memory stays bounded)."""
    batch: list[dict[str, Any]] = []
    with closing(table_rows(zf, zf.getinfo(name), table, digest, limits, where)) as rows:
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                _insert(s, table, batch, where)
                batch = []
    if batch:
        _insert(s, table, batch, where)


def _insert(s: Session, table: Any, batch: list[dict[str, Any]], where: str) -> None:
    try:
        s.execute(insert(table), batch)
    except (OperationalError, InterfaceError, InternalError):
        raise
    except (DBAPIError, StatementError, OverflowError, ValueError, TypeError) as err:
        # A value the driver cannot even bind (an integer beyond 64 bits, a list where
        # text belongs) is as much a damaged backup as one the database refuses.
        raise InvalidInput(
            f"rows the database refuses ({err.__class__.__name__}): the backup is damaged",
            path=where,
        ) from None


def _write_files(zf: zipfile.ZipFile, where: str, manifest: dict[str, Any], home: Path) -> None:
    """The vault and key files, streamed into ``home`` (owner-only) with their digests
    checked again as they are written."""
    for name, digest in manifest["members"].items():
        if not FILE_MEMBER.fullmatch(name):
            continue
        target = home.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            file_bytes(zf, zf.getinfo(name), digest, f"{where}:{name}", out)
            out.flush()
            os.fsync(out.fileno())
        failpoints.hit("restore_member_written")


def _clear_seeded(s: Session) -> None:
    """A new workspace seeds vocabularies and the gazetteer; the backup brings its own."""
    for table in reversed(load_tables().sorted_tables):
        s.execute(table.delete())


def _reset_sequences(s: Session) -> None:
    """PostgreSQL keeps serial counters apart from the rows: move them past restored ids."""
    bind = s.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in load_tables().sorted_tables:
        single = len(table.primary_key.columns) == 1
        for col in table.primary_key.columns:
            automatic = col.autoincrement is True or col.autoincrement == "auto"
            if automatic and single and col.type.python_type is int:
                seq = s.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": col.name})  # fmt: skip
                if seq:
                    s.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({col.name}) "
                                   f"FROM {table.name}), 0) + 1, false)"))  # fmt: skip
