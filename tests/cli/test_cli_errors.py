"""A newcomer's first commands and bad input, through the real ``dalil`` executable.

Each invocation is a subprocess, as a user's shell would run it: exit status 2 (1 where
the command's contract is a verification verdict), no traceback on either stream, and
one ``error [code] where: what`` line naming where the problem is (issue 20, "first
minutes of a new user"; review L2 and L4). One demo workspace is built for the whole
module with ``DALIL_PASSPHRASE_FILE`` set, which is itself the check that ``dalil demo``
honours it. Runs on the embedded SQLite database only: what is tested is the command
line, not the storage.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("dalil")
PASSPHRASE = "cli errors test passphrase"
MARKUP = "[/b] [red]x[/red] [link=http://x]y[/link]"
SHAPE = re.compile(r"^error \[[a-z_]+(\.[a-z_]+)*\] [^ ].*?: .+")


@dataclass(frozen=True)
class Demo:
    root: Path  # the module's scratch folder (garbage files live here)
    home: Path
    case: str
    passphrase_file: Path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    # wide tables (no wrapping to test against) and output that is not held in a buffer
    env |= {"COLUMNS": "250", "PYTHONUNBUFFERED": "1"}
    return env | extra


def dalil(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(**env),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("cli-errors")
    secret = root / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    home = root / "ws"
    made = dalil("--home", home, "demo", DALIL_PASSPHRASE_FILE=str(secret))
    assert made.returncode == 0, made.stderr
    assert "vault created with the passphrase of DALIL_PASSPHRASE_FILE" in made.stdout
    assert not (home / "demo" / "passphrase.txt").exists()  # no second, unasked-for secret
    listed = dalil("--home", home, "case", "list", "--json")
    case = json.loads(listed.stdout)[0]["id"]
    # garbage for the importers: bytes that are no format at all, and near misses
    noise = bytes(range(256)) * 4
    for name in ("noise.bin", "noise.pdf", "noise.docx", "noise.zip", "noise.json"):
        (root / name).write_bytes(noise)
    (root / "cut.json").write_text('{"format": "dalil-case", "version": 1, "case": {')
    (root / "unclosed.csv").write_text('record_id,full_name,sex,age\nQ-2,"Rami Haddad,M,41\n')
    (root / "ragged.csv").write_text("record_id,full_name,sex,age\nX-2,Rami Haddad,M,41,extra\n")
    (root / "captures.csv").write_text("a,b\n1,x\n")
    (root / "huge-cell.csv").write_text("a,b\n1," + "1" * 200_000 + "\n")
    (root / "empty").write_text("")
    (root / "wrong").write_text("not the passphrase\n")
    with zipfile.ZipFile(root / "notabundle.zip", "w") as z:
        z.writestr("hello.txt", "not a bundle")
    return Demo(root, home, case, secret)


def test_the_demo_passphrase_from_the_environment_opens_the_vault(demo: Demo) -> None:
    by_file = dalil("--home", demo.home, "vault", "checkpoint",
                    DALIL_PASSPHRASE_FILE=str(demo.passphrase_file))  # fmt: skip
    by_var = dalil("--home", demo.home, "vault", "checkpoint", DALIL_PASSPHRASE=PASSPHRASE)
    assert by_file.returncode == by_var.returncode == 0, by_file.stderr + by_var.stderr


def test_serve_after_demo_with_the_same_variable(demo: Demo) -> None:
    """The issue's first minutes: `dalil demo`, then `dalil serve` with the variable set,
    answers instead of dying in its start-up."""
    port = _free_port()
    server = subprocess.Popen(
        [str(EXE), "--home", str(demo.home), "serve", "--port", str(port)],
        env=_env(DALIL_PASSPHRASE=PASSPHRASE),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, status = time.monotonic() + 60, 0
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status = r.status
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None and status == 200, server.stderr and server.stderr.read()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err and "vault stays locked" not in err


def test_markup_in_titles_and_sources_is_printed_as_written(demo: Demo) -> None:
    """Review L2: rich markup in stored text is text, in every table."""
    made = dalil("--home", demo.home, "case", "create", MARKUP)
    assert made.returncode == 0, made.stderr
    listed = dalil("--home", demo.home, "case", "list")
    assert listed.returncode == 0 and MARKUP in listed.stdout, listed.stderr
    assert "Traceback" not in listed.stderr
    rows = demo.root / "one.csv"
    rows.write_text("record_id,full_name,sex,age\nM-1,Rami Haddad,M,41\n", encoding="utf-8")
    imported = dalil("--home", demo.home, "lists", "import", demo.case, rows, "--source", MARKUP)
    assert imported.returncode == 0, imported.stderr
    lists = dalil("--home", demo.home, "lists", "list", demo.case)
    assert lists.returncode == 0 and MARKUP in lists.stdout, lists.stderr
    shown = dalil("--home", demo.home, "case", "show", made.stdout.strip())
    assert shown.returncode == 0 and MARKUP in shown.stdout, shown.stderr


# (args, environment, expected start of stderr): {root}, {home}, {case} and {secret} are
# filled in from the demo; "FAULT" means a verification verdict (exit 1, report on stdout)
BAD: list[object] = [
    pytest.param(["vault", "checkpoint"], {"DALIL_PASSPHRASE": "wrong"},
                 "error [vault.passphrase] DALIL_PASSPHRASE: wrong passphrase",
                 id="wrong-passphrase-variable"),
    pytest.param(["vault", "checkpoint"], {"DALIL_PASSPHRASE_FILE": "{root}/wrong"},
                 "error [vault.passphrase] DALIL_PASSPHRASE_FILE={root}/wrong: wrong passphrase",
                 id="wrong-passphrase-file"),
    pytest.param(["serve", "--port", "{port}"], {"DALIL_PASSPHRASE": "wrong"},
                 "error [vault.passphrase] DALIL_PASSPHRASE: wrong passphrase",
                 id="serve-wrong-passphrase"),
    pytest.param(["serve", "--port", "{port}"], {"DALIL_PASSPHRASE_FILE": "{root}/missing"},
                 "error [input.invalid] DALIL_PASSPHRASE_FILE={root}/missing: "
                 "the passphrase file does not exist", id="serve-missing-passphrase-file"),
    pytest.param(["vault", "checkpoint"], {"DALIL_PASSPHRASE_FILE": "{root}/empty"},
                 "error [input.invalid] DALIL_PASSPHRASE_FILE={root}/empty: "
                 "the passphrase file is empty", id="empty-passphrase-file"),
    pytest.param(["docs", "add", "{case}", "{root}/noise.pdf", "--user", "demo"],
                 {"DALIL_PASSPHRASE": "wrong"},
                 "error [vault.passphrase] DALIL_PASSPHRASE:", id="docs-add-wrong-passphrase"),
    pytest.param(["--home", "{root}/noise.bin", "case", "list"], {},
                 "error [workspace.missing] {root}/noise.bin:", id="home-is-a-file"),
    pytest.param(["case", "show", "no-such-case"], {},
                 "error [record.not_found] case:", id="unknown-case"),
    pytest.param(["import", "{root}/noise.json"], {},
                 "error [input.invalid] $:", id="import-noise"),
    pytest.param(["extract", "{root}/noise.pdf"], {},
                 "error [input.invalid] noise.pdf:", id="extract-noise-pdf"),
    pytest.param(["lists", "import", "{case}", "{root}/unclosed.csv", "--source", "q"], {},
                 "error [input.invalid] unclosed.csv:2:", id="lists-unclosed-quote"),
    pytest.param(["lists", "import", "{case}", "{root}/ragged.csv", "--source", "q"], {},
                 "error [input.invalid] ragged.csv:2", id="lists-ragged-row"),
    pytest.param(["lists", "import", "{case}", "{root}/noise.bin", "--source", "q"], {},
                 "error [input.invalid] noise.bin", id="lists-noise"),
    pytest.param(["docs", "add", "{case}", "{root}/noise.pdf", "--user", "demo"],
                 {"DALIL_PASSPHRASE": PASSPHRASE},
                 "error [input.invalid] noise.pdf:", id="docs-add-noise"),
    pytest.param(["docs", "add", "{case}", "{root}/noise.pdf"], {"DALIL_PASSPHRASE": PASSPHRASE},
                 "error [input.invalid] --user: custody events name the dalil user who acted",
                 id="docs-add-nobody"),
    pytest.param(["case", "add-member", "{case}", "demo", "--role", "viewer"], {},
                 "error [input.invalid] --user: custody events name the dalil user who acted",
                 id="add-member-nobody"),
    pytest.param(["case", "add-member", "{case}", "demo", "--role", "viewer", "--user", "root"],
                 {}, "error [input.invalid] --user: 'root' is not a user of this workspace",
                 id="add-member-unknown-user"),
    pytest.param(["estimate", "{root}/captures.csv"], {},
                 "error [input.invalid] captures.csv", id="estimate-not-0-or-1"),
    pytest.param(["estimate", "{root}/huge-cell.csv"], {},
                 "error [input.invalid] huge-cell.csv:", id="estimate-huge-cell"),
    pytest.param(["estimate", "{root}/noise.bin"], {},
                 "error [input.invalid] noise.bin:", id="estimate-noise"),
    pytest.param(["verify-bundle", "{root}/notabundle.zip"], {}, "FAULT",
                 id="verify-bundle-not-a-bundle"),
    pytest.param(["verify-bundle", "{root}/notabundle.zip", "--key", "garbage!!"], {},
                 "error [input.invalid] --key:", id="verify-bundle-bad-key"),
    pytest.param(["--home", "{root}/restored", "restore", "{root}/noise.zip"], {},
                 "error [input.invalid] noise.zip:", id="restore-noise"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "env", "expected"), BAD)
def test_bad_input_is_one_located_line_never_a_traceback(
    demo: Demo, args: list[str], env: dict[str, str], expected: str
) -> None:
    values = {"root": str(demo.root), "home": str(demo.home), "case": demo.case,
              "secret": str(demo.passphrase_file), "port": str(_free_port())}  # fmt: skip
    argv = [a.format(**values) for a in args]
    if argv[0] != "--home":
        argv = ["--home", str(demo.home), *argv]
    done = dalil(*argv, **{k: v.format(**values) for k, v in env.items()})
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    if expected == "FAULT":  # a verdict, not an error: the report says what is wrong
        assert done.returncode == 1 and "FAULT" in done.stdout, done.stdout + done.stderr
        return
    assert done.returncode == 2, done.stderr
    first, *rest = done.stderr.splitlines() or [""]
    assert first.startswith(expected.format(**values)), done.stderr
    assert SHAPE.match(first), first
    assert all(line.startswith("  ") for line in rest), done.stderr  # details only, indented
    if "restored" in argv[1]:
        assert not (demo.root / "restored" / "workspace.toml").exists()  # nothing half-made
