"""One typed Settings object for a dalil workspace.

Values come, highest priority first, from keyword arguments, ``DALIL_*`` environment
variables, then the workspace file ``$DALIL_HOME/dalil.toml``, then the defaults below.
Every field is documented here and in ``docs/configuration.md`` (a test keeps the two in
step).
"""

from __future__ import annotations

import getpass
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

SETTINGS_FILE = "dalil.toml"
_toml_path: ContextVar[Path | None] = ContextVar("dalil_settings_toml", default=None)


def _login_name() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Settings(BaseSettings):
    """Where a workspace lives and how dalil behaves in it."""

    model_config = SettingsConfigDict(env_prefix="DALIL_", extra="forbid", frozen=True)

    home: Path = Field(
        default=Path("dalil-data"),
        description="Workspace directory holding the settings file and the embedded database "
        "(env DALIL_HOME; default ./dalil-data).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database. Unset means the embedded SQLite file "
        "<home>/dalil.sqlite3 (WAL, synchronous=FULL). For a team server use "
        "postgresql+psycopg://user@host/db.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000,
        ge=0,
        description="How long (milliseconds) a SQLite writer waits for a lock before failing.",
    )
    host: str = Field(
        default="127.0.0.1",
        description="Interface `dalil serve` listens on. Keep 127.0.0.1 unless a TLS proxy "
        "sits in front.",
    )
    port: int = Field(default=8000, ge=1, le=65535, description="Port `dalil serve` listens on.")
    web_threads: int = Field(
        default=1,
        ge=1,
        le=200,
        description="Threads per server process that run requests. Python runs one at a "
        "time, so on SQLite one per process answers in arrival order and keeps the slowest "
        "answers fastest (docs/benchmarks.md); serve more processes (`--workers`) to use "
        "more cores. Raise it for PostgreSQL over a network, where requests wait on the "
        "database, or so that one long export does not hold up a process's other requests.",
    )
    max_import_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=1024,
        description="Largest case document (bytes) `dalil import` accepts; larger files are "
        "refused before parsing.",
    )
    max_text_chars: int = Field(
        default=100_000,
        ge=100,
        description="Longest free-text value (characters) accepted in any record field; "
        "guards the database and the screens against runaway input.",
    )
    actor: str = Field(
        default_factory=lambda: _login_name(),
        description="Name recorded as `assessed_by`/`created_by` for CLI work (default: the "
        "login name). The web app records the signed-in user instead.",
    )
    operator: str | None = Field(
        default=None,
        description="The dalil user named in the custody ledger for this workspace's CLI "
        "vault and key commands when `--user` is not given (a user of this workspace, never "
        "the operating-system account). Unset, with no `--user` and no explicitly set "
        "`actor`, those commands refuse to run.",
    )
    log_level: str = Field(
        default="INFO",
        description="Python logging level for dalil's own loggers (DEBUG, INFO, WARNING, ...). "
        "Logs never contain witness identities at any level.",
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return upper

    @property
    def resolved_database_url(self) -> str:
        """The database URL actually used (SQLite file inside ``home`` by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'dalil.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = _toml_path.get()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml is not None and toml.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml))
        return tuple(sources)


def load_settings(home: Path | str | None = None, **overrides: Any) -> Settings:
    """Settings for the workspace at ``home`` (else ``$DALIL_HOME``, else ``./dalil-data``).

    The workspace's ``dalil.toml`` is read after the environment, so an operator can pin
    values for one workspace while the environment still wins for one-off runs.
    """
    base = Path(home) if home is not None else Path(os.environ.get("DALIL_HOME", "dalil-data"))
    token = _toml_path.set(base / SETTINGS_FILE)
    try:
        return Settings(home=base, **overrides)
    finally:
        _toml_path.reset(token)
