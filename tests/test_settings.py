from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from dalil.config import Settings, load_settings

DOCS = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_defaults_and_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    s = load_settings(tmp_path)
    assert s.is_sqlite
    assert s.resolved_database_url.endswith("/dalil.sqlite3")
    assert s.port == 8000 and s.host == "127.0.0.1"


def test_environment_beats_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dalil.toml").write_text('port = 9001\nlog_level = "debug"\n')
    s = load_settings(tmp_path)
    assert s.port == 9001 and s.log_level == "DEBUG"
    monkeypatch.setenv("DALIL_PORT", "9002")
    assert load_settings(tmp_path).port == 9002


def test_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DALIL_HOME", str(tmp_path / "elsewhere"))
    assert load_settings().home == tmp_path / "elsewhere"


def test_bad_values_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dalil.toml").write_text('log_level = "loud"\n')
    with pytest.raises(ValidationError, match="unknown log level"):
        load_settings(tmp_path)
    (tmp_path / "dalil.toml").write_text("unknown_setting = 1\n")
    with pytest.raises(ValidationError):
        load_settings(tmp_path)


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", DOCS.read_text(), flags=re.M))
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"
        assert name in documented, f"{name} missing from docs/configuration.md"
    assert documented == set(Settings.model_fields)
