"""Helpers shared by the CLI modules.

Both consoles print with rich markup and emoji codes turned off: what the CLI prints is
mostly stored or user-given text (case titles, list source names, file names, report
text), and a title such as ``[/b]`` would otherwise raise a markup error or ``[red]…``
change what the operator sees (review L2). Styling is given with ``style=`` or
:class:`rich.text.Text`, never as markup inside a string.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select

from dalil.access.tables import User
from dalil.config import Settings, load_settings
from dalil.errors import InvalidInput
from dalil.vault.keys import WrongPassphrase
from dalil.vault.service import Vault
from dalil.workspace import Workspace

console = Console(stderr=True, markup=False, emoji=False)
out = Console(soft_wrap=True, markup=False, emoji=False)
F = TypeVar("F", bound=Callable[..., Any])

OPERATOR_VAR = "DALIL_OPERATOR"
PASSPHRASE_VAR = "DALIL_PASSPHRASE"
PASSPHRASE_FILE_VAR = "DALIL_PASSPHRASE_FILE"


def settings_of(ctx: click.Context) -> Settings:
    home = ctx.find_root().params.get("home")
    return load_settings(home)


@contextmanager
def workspace(ctx: click.Context) -> Iterator[Workspace]:
    ws = Workspace.open(settings_of(ctx))
    try:
        yield ws
    finally:
        ws.close()


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@dataclass(frozen=True)
class Passphrase:
    """A vault passphrase and where it came from, so that a wrong one can be reported
    against its source (the variable, the file or the prompt) without showing it."""

    value: str
    source: str


def passphrase_source() -> str:
    """Where a vault command takes its passphrase from, as the ``where`` of an error:
    ``DALIL_PASSPHRASE``, ``DALIL_PASSPHRASE_FILE=<path>`` or ``passphrase prompt``
    (the same order of precedence as :func:`dalil.vault.keys.passphrase_from_env`)."""
    if os.environ.get(PASSPHRASE_VAR):
        return PASSPHRASE_VAR
    if path := os.environ.get(PASSPHRASE_FILE_VAR):
        return f"{PASSPHRASE_FILE_VAR}={path}"
    return "passphrase prompt"


def passphrase_from_env() -> Passphrase | None:
    """The passphrase given to a non-interactive process, or ``None`` if neither variable
    is set (an empty variable counts as unset, as ``make run`` may pass one).

    ``DALIL_PASSPHRASE`` wins over ``DALIL_PASSPHRASE_FILE``; the file's first line is
    the passphrase. A file that is missing, unreadable, not UTF-8 or whose first line is
    empty is an :class:`InvalidInput` naming the variable and the file: falling back to a
    prompt or to no vault would hide a misconfigured service."""
    if value := os.environ.get(PASSPHRASE_VAR):
        return Passphrase(value, PASSPHRASE_VAR)
    path = os.environ.get(PASSPHRASE_FILE_VAR)
    if not path:
        return None
    where = f"{PASSPHRASE_FILE_VAR}={path}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput("the passphrase file does not exist", path=where) from None
    except IsADirectoryError:
        raise InvalidInput("names a folder, not a passphrase file", path=where) from None
    except UnicodeDecodeError:
        raise InvalidInput("the passphrase file is not UTF-8 text", path=where) from None
    except OSError as err:
        raise InvalidInput(
            f"cannot read the passphrase file ({err.strerror or err.__class__.__name__})",
            path=where,
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InvalidInput(
            "the passphrase file is empty (its first line is the passphrase)", path=where
        )
    return Passphrase(lines[0], where)


def check_passphrase_env() -> None:
    """Refuse a ``DALIL_PASSPHRASE_FILE`` that cannot give a passphrase before a command
    runs, so every command that unlocks the vault says so in one line instead of failing
    later (or prompting) with a less exact message."""
    passphrase_from_env()


def unlock_vault(ws: Workspace, given: Passphrase) -> Vault:
    """Unlock the workspace's vault with ``given``; a wrong passphrase is reported against
    its source (``error [vault.passphrase] DALIL_PASSPHRASE: wrong passphrase …``)."""
    try:
        return Vault.unlock(ws, given.value)
    except WrongPassphrase as err:
        raise WrongPassphrase(err.message, path=given.source) from None


#: ``--user NAME`` on every command that writes a custody event (see :func:`custody_actor`)
user_option = click.option(
    "--user",
    "user",
    default=None,
    metavar="NAME",
    help="The dalil user doing this, named in the custody ledger (default: the "
    f"workspace's operator setting, {OPERATOR_VAR}).",
)


def custody_actor(ws: Workspace, user: str | None) -> str:
    """The dalil user a CLI custody event names: ``--user``, else the workspace's
    ``operator`` setting, else an ``actor`` set explicitly (its default, the login name,
    is the operating-system account and never counts). With none, an
    :class:`InvalidInput` naming both ways to give one.

    When the workspace has user accounts the name must be an enabled one, so the ledger
    names a person the team knows; a workspace with no accounts yet (CLI only) takes the
    name as given."""
    settings = ws.settings
    if user is not None and user.strip():
        name, where = user.strip(), "--user"
    elif settings.operator:
        name, where = settings.operator, f"operator ({OPERATOR_VAR})"
    elif "actor" in settings.model_fields_set and settings.actor.strip():
        name, where = settings.actor.strip(), "actor (DALIL_ACTOR)"
    else:
        raise InvalidInput(
            "custody events name the dalil user who acted: give --user NAME or set the "
            f'workspace\'s operator (operator = "NAME" in dalil.toml, or {OPERATOR_VAR})',
            path="--user",
        )
    with ws.session() as s:
        if s.scalar(select(func.count()).select_from(User)):
            found = s.scalar(select(User).where(User.name == name))
            if found is None or found.disabled:
                state = "is disabled" if found is not None else "is not a user of this workspace"
                hint = "name an active user (`dalil user add` makes one)"
                raise InvalidInput(f"{name!r} {state}; {hint}", path=where)
    return name
