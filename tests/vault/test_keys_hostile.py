"""Key files with absurd or malformed KDF settings (review 2026-12-06, L4): refused as a
damaged key file (``vault.keyfile``) before argon2 runs, never an OverflowError traceback,
a hang or an out-of-memory; a genuine key file still opens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dalil.cli import main
from dalil.vault import keys
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import make_settings

PASS = "key file test passphrase"
#: Cheap but valid settings, so that the genuine file of each case opens quickly.
CHEAP = {"alg": "argon2id", "time_cost": 1, "memory_kib": 64, "parallelism": 1}


def with_kdf(home: Path, **changes: Any) -> None:
    path = home / keys.KEYFILE
    body = json.loads(path.read_text("utf-8"))
    body["kdf"].update(changes)
    path.write_text(json.dumps(body), "utf-8")


@pytest.mark.parametrize(
    "changes",
    [
        {"memory_kib": 65_536_000_000},  # the review's: overflowed argon2's 32-bit field
        {"memory_kib": 20 * 1024 * 1024},  # 20 GiB: would hang or exhaust memory
        {"memory_kib": 4},
        {"memory_kib": "65536"},
        {"memory_kib": 65536.0},
        {"time_cost": 0},
        {"time_cost": 10**12},
        {"time_cost": True},
        {"parallelism": 0},
        {"parallelism": 2**24},
        {"parallelism": 64, "memory_kib": 64},  # under argon2's 8 KiB per lane
        {"alg": "scrypt"},
        {"salt": "AAAA"},  # 3 bytes
    ],
)
def test_key_files_with_absurd_kdf_settings_are_damaged(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    master = keys.new_master()
    keys.write_keyfile(tmp_path, master, 1, PASS, CHEAP)
    assert keys.read_master(tmp_path, PASS) == (master, 1)  # the genuine file passes
    with_kdf(tmp_path, **changes)
    with pytest.raises(keys.KeyFileError, match="damaged") as caught:
        keys.read_master(tmp_path, PASS)
    assert caught.value.code == "vault.keyfile"


def test_write_keyfile_refuses_settings_it_could_not_read_back(tmp_path: Path) -> None:
    with pytest.raises(keys.KeyFileError, match="memory_kib"):
        keys.write_keyfile(
            tmp_path, keys.new_master(), 1, PASS, keys.DEFAULT_KDF | {"memory_kib": 2**40}
        )
    assert not (tmp_path / keys.KEYFILE).exists()


@pytest.mark.parametrize(
    "body", [b"[]", b'{"format": "dalil-keyfile/1"}', b"\xff\xfe", b"[" * 100_000, b" " * 70_000]
)
def test_malformed_key_files_are_damaged(body: bytes) -> None:
    with pytest.raises(keys.KeyFileError):
        keys.parse_keyfile(body)


def test_the_cli_answers_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = make_settings(tmp_path / "ws", "sqlite")
    ws = Workspace.create(settings)
    Vault.create(ws, PASS, "t")
    assert Vault.unlock(ws, PASS).verify().ok  # the default settings pass the bounds
    ws.close()
    with_kdf(settings.home, memory_kib=65_536_000_000)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DALIL_PASSPHRASE", PASS)
        with pytest.raises(SystemExit) as code:
            main(["--home", str(settings.home), "vault", "verify"])
    err = capsys.readouterr().err
    assert code.value.code == 2, err
    assert "error [vault.keyfile]" in err and "kdf.memory_kib" in err
    assert "Traceback" not in err and "OverflowError" not in err
