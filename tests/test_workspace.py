from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from dalil.config import Settings
from dalil.errors import WorkspaceExists, WorkspaceMissing, WorkspaceTooNew
from dalil.model.tables import Base
from dalil.workspace import Workspace, current_revision, head_revision


def test_migrations_from_empty_equal_the_models(ws: Workspace) -> None:
    assert current_revision(ws.engine) == head_revision()
    with ws.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_reopen_applies_nothing_and_keeps_data(ws: Workspace, settings: Settings) -> None:
    from dalil.records.cases import create_case

    with ws.session() as s:
        create_case(s, "Kept", actor="t")
    ws.close()
    again = Workspace.open(settings)
    with again.session() as s:
        from dalil.records.cases import list_cases

        assert [c.title for c in list_cases(s)] == ["Kept"]
    again.close()


def test_sqlite_durability_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dalil.config import load_settings

    ws = Workspace.create(load_settings(tmp_path / "w"))
    with ws.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    ws.close()


def test_postgres_synchronous_commit(ws: Workspace, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    with ws.engine.connect() as conn:
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"


def test_newer_workspace_is_refused(ws: Workspace, settings: Settings) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    ws.close()
    with pytest.raises(WorkspaceTooNew, match="newer version of dalil"):
        Workspace.open(settings)


def test_open_missing_and_create_twice(ws: Workspace, settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dalil.config import load_settings

    with pytest.raises(WorkspaceExists):
        Workspace.create(settings)
    with pytest.raises(WorkspaceMissing, match="dalil init"):
        Workspace.open(load_settings(tmp_path / "nowhere"))


def test_database_errors_roll_back_and_hide_values(ws: Workspace) -> None:
    from dalil.errors import StorageError
    from dalil.model.tables import Case, utcnow

    with pytest.raises(StorageError) as err, ws.session() as s:
        s.add(Case(id="dup", title="secret-title-1", created_at=utcnow(), created_by="t"))
        s.flush()
        s.add(Case(id="dup", title="secret-title-2", created_at=utcnow(), created_by="t"))
        s.flush()
    assert "secret" not in str(err.value) and "nothing was saved" in str(err.value)
    with ws.session() as s:
        assert s.get(Case, "dup") is None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workspace_is_private_whatever_the_umask(settings: Settings, backend: str) -> None:
    """Review L9: the folder and the vault folders 0700, the SQLite database and its WAL
    and shared-memory files 0600, even under a umask that takes nothing away."""
    from dalil.records.cases import create_case
    from dalil.vault.service import Vault
    from tests_support import DEMO_PASSPHRASE

    old = os.umask(0)
    try:
        ws = Workspace.create(settings)
        Vault.create(ws, DEMO_PASSPHRASE, "t")
        with ws.session() as s:
            create_case(s, "Private", actor="t")
        home = settings.home
        assert _mode(home) == 0o700
        folders = [home / "vault", *(p for p in (home / "vault").rglob("*") if p.is_dir())]
        assert len(folders) >= 4 and {_mode(p) for p in folders} == {0o700}
        if backend == "sqlite":  # the WAL and shared-memory files exist while it is open
            files = [home / f"dalil.sqlite3{sfx}" for sfx in ("", "-wal", "-shm")]
            assert {_mode(p) for p in files} == {0o600}
        ws.close()
    finally:
        os.umask(old)


def test_a_loose_workspace_is_tightened_on_open_and_still_works(
    ws: Workspace, settings: Settings, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    from dalil.records.cases import create_case, list_cases

    with ws.session() as s:
        create_case(s, "Kept", actor="t")
    ws.close()
    home = settings.home
    loose = [home, home / "vault"] + ([home / "dalil.sqlite3"] if backend == "sqlite" else [])
    for p in loose:
        p.chmod(0o755 if p.is_dir() else 0o644)
    with caplog.at_level(logging.WARNING, logger="dalil.workspace"):
        again = Workspace.open(settings)
    with again.session() as s:
        assert [c.title for c in list_cases(s)] == ["Kept"]
    again.close()
    assert [_mode(p) for p in loose] == [0o700, 0o700, 0o600][: len(loose)]
    assert sum("private" in r.getMessage() for r in caplog.records) == len(loose)
