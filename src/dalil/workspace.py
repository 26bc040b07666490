"""Open a workspace: settings, database (migrated on open), vocabularies.

A workspace is a directory (``DALIL_HOME``) holding the settings file, the embedded SQLite
database (unless ``DALIL_DATABASE_URL`` points at PostgreSQL) and, from later versions,
the evidence vault and keys. Opening one applies any pending migrations; opening one
written by a newer dalil is refused rather than guessed at.

SQLite runs in WAL mode with ``synchronous=FULL`` so that an acknowledged write survives
power loss (a committed transaction in WAL with ``NORMAL`` may roll back), with foreign
keys enforced. PostgreSQL connections require ``synchronous_commit=on`` for the same
reason.

The workspace is private to the account that runs dalil (review L9): its folder and the
vault folder are created 0700 and the SQLite database 0600 whatever the umask, and the
database's ``-wal`` and ``-shm`` files inherit that mode from it (SQLite creates them with
the database file's permissions). A workspace made before this, or loosened by hand, is
tightened when it is opened, with a warning naming what was changed. With PostgreSQL only
the folder is ours to protect; the database is the server's.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dalil.config import SETTINGS_FILE, Settings, load_settings
from dalil.errors import (
    DalilError,
    InvalidInput,
    StorageError,
    WorkspaceExists,
    WorkspaceMissing,
    WorkspaceTooNew,
)
from dalil.model.registry import load_tables
from dalil.model.tables import VocabularyTerm
from dalil.model.vocabulary import Vocabularies

# Every package's tables, so that relationships between them resolve and a workspace
# opened here sees all of them (the list is declared in dalil.model.registry).
load_tables()

log = logging.getLogger("dalil.workspace")
MARKER = "workspace.toml"
#: folders only the owner may enter, and files only the owner may read
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def alembic_config() -> Config:
    """A fresh alembic configuration for dalil's migrations (``dalil.model.migrations``).

    No ``alembic.ini`` is read: the scripts ship inside the package. To run a command, put
    an open connection in ``cfg.attributes["connection"]`` first; the migrations'
    environment uses that connection (and its transaction) rather than making its own, so
    a caller such as restore can migrate and load rows in one transaction.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("dalil") / "model" / "migrations"))
    return cfg


@cache
def head_revision() -> str:
    """The newest schema revision this dalil knows (read once: the scripts do not change)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, busy_ms: int) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")  # erased identities leave no ciphertext behind
    cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cur.close()


def _sqlite_file(settings: Settings) -> Path | None:
    """The SQLite database file of these settings (``None`` for PostgreSQL or memory)."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _create_private(path: Path | None) -> None:
    """Create the empty database file 0600 before SQLite opens it (an empty file is an
    empty database), so it never exists with the umask's wider mode."""
    if path is None or path.exists():
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE)


def make_private(settings: Settings) -> None:
    """Create a new workspace's folder and vault folder 0700 and its empty SQLite file
    0600, whatever the umask (a restore builds its workspace with this too)."""
    for folder in (settings.home, settings.home / "vault"):
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is cut by the umask
    _create_private(_sqlite_file(settings))


def _tighten(settings: Settings) -> None:
    """Take group and other permissions off an existing workspace's folder, vault folder
    and database files, logging each change; a path dalil may not change (another
    owner's) is logged and left, as the workspace still works."""
    home = settings.home
    paths = [(home, PRIVATE_DIR), (home / "vault", PRIVATE_DIR)]
    if (db := _sqlite_file(settings)) is not None:
        paths += [(db.with_name(db.name + sfx), PRIVATE_FILE) for sfx in ("", "-wal", "-shm")]
    for path, mode in paths:
        try:
            current = stat.S_IMODE(path.stat().st_mode)
            if current & 0o077:
                os.chmod(path, current & mode)
                log.warning("made %s private (mode %o -> %o)", path, current, current & mode)
        except FileNotFoundError:
            continue
        except OSError as err:
            log.warning("cannot make %s private: %s", path, err.strerror or err)


def make_engine(settings: Settings) -> Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        engine = create_engine(url)
        busy = settings.sqlite_busy_timeout_ms
        event.listen(engine, "connect", lambda c, r: _sqlite_pragmas(c, r, busy))
        return engine
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    # Durability: ask for synchronous commit whatever the server default says, keeping any
    # libpq options given in the URL (a test run's search_path, for example).
    options = str(parsed.query.get("options", ""))
    parsed = parsed.difference_update_query(["options"])
    return create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"options": f"{options} -c synchronous_commit=on".strip()},
    )


class Workspace:
    """An open workspace. Use :meth:`create` or :meth:`open`, then :meth:`session`."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def home(self) -> Path:
        return self.settings.home

    @classmethod
    def create(cls, settings: Settings | None = None) -> Workspace:
        """Create a new workspace at ``settings.home`` and load the packaged gazetteer."""
        settings = settings or load_settings()
        marker = settings.home / MARKER
        if marker.exists():
            raise WorkspaceExists(f"a workspace already exists at {settings.home}")
        make_private(settings)
        ws = cls._connect(settings)
        from dalil.places import gazetteer

        with ws.session() as s:
            gazetteer.load_packaged(s)
        marker.write_text(
            "# dalil workspace marker; settings go in " + SETTINGS_FILE + "\nformat = 1\n",
            encoding="utf-8",
        )
        log.info("created workspace at %s", settings.home)
        return ws

    @classmethod
    def open(cls, settings: Settings | None = None) -> Workspace:
        """Open an existing workspace, applying pending migrations."""
        settings = settings or load_settings()
        if not (settings.home / MARKER).exists():
            raise WorkspaceMissing(
                "no dalil workspace here; run `dalil init` or `dalil demo`, or set DALIL_HOME",
                path=str(settings.home),
            )
        _tighten(settings)
        return cls._connect(settings)

    @classmethod
    def _connect(cls, settings: Settings) -> Workspace:
        engine = make_engine(settings)
        try:
            migrate(engine)
        except DalilError:
            engine.dispose()
            raise
        except SQLAlchemyError as err:
            engine.dispose()
            raise StorageError(f"cannot open the database: {err.__class__.__name__}") from err
        return cls(settings, engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block succeeds, rolled back on any error.

        Database errors surface as :class:`StorageError` naming only the error class: the
        driver's message can quote row values, and values may be protected.
        """
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except SQLAlchemyError as err:
                s.rollback()
                if "NUL (0x00)" in str(getattr(err, "orig", "")):  # PostgreSQL text refuses it
                    raise InvalidInput(
                        "text with a NUL character (0x00) cannot be stored: remove it"
                    ) from None
                log.error("database error %s", err.__class__.__name__)
                raise StorageError(
                    f"the database refused the change ({err.__class__.__name__}); nothing was saved"
                ) from err
            except BaseException:
                s.rollback()
                raise

    def vocabularies(self, session: Session) -> Vocabularies:
        """Shipped vocabularies plus this workspace's added terms."""
        return Vocabularies(session.scalars(select(VocabularyTerm).order_by(VocabularyTerm.code)))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database to this version's schema; refuse a newer one."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise WorkspaceTooNew(
                f"this workspace was written by a newer version of dalil (schema {current}); "
                "upgrade dalil to open it"
            ) from None
    head = script.get_current_head()
    if current == head:
        return
    if current is not None:  # an existing workspace: say why opening it takes a while
        log.warning(
            "upgrading the workspace schema from %s to %s; a migration that rebuilds the "
            "victim search index takes about a minute per 100,000 persons",
            current, head,
        )  # fmt: skip
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
