"""Helpers of the tests of the set-up pages (team, list upload, place picker): a
workspace with an admin and an investigator, and test clients signed in with a browser
session (cookie and CSRF token), as a person in a browser is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dalil.access import accounts, policy
from dalil.model.tables import Assertion, Record
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace

PASSWORD = "set-up pages password"


@dataclass
class Team:
    app: TestClient  # not signed in: use :meth:`as_user`
    ws: Workspace
    case: str

    @contextmanager
    def as_user(self, name: str) -> Iterator[tuple[TestClient, str]]:
        """A client with ``name``'s browser session, and the session's CSRF token."""
        with self.ws.session() as s:
            new = accounts.start_session(s, accounts.find_user(s, name))
        client = TestClient(self.app.app, base_url="https://testserver")
        client.cookies.set("__Host-dalil_session", new.token)
        yield client, new.csrf

    def counts(self) -> tuple[int, int]:
        """(records, assertions) in the workspace: what a refused form must not change."""
        with self.ws.session() as s:
            return (s.scalar(select(func.count()).select_from(Record)) or 0,
                    s.scalar(select(func.count()).select_from(Assertion)) or 0)  # fmt: skip


@contextmanager
def team(ws: Workspace, vault: Vault) -> Iterator[Team]:
    """A case "Coast" with an investigator "amal"; an admin "root"; a user "rana" outside."""
    with ws.session() as s:
        case = cases.create_case(s, "Coast", actor="t").id
        accounts.add_user(s, "root", PASSWORD, admin=True)
        amal = accounts.add_user(s, "amal", PASSWORD)
        accounts.add_user(s, "rana", PASSWORD)
        policy.add_member(s, case, amal, "investigator", "t")
    app = create_app(workspace=ws, vault=vault)
    with TestClient(app, base_url="https://testserver") as c:
        yield Team(c, ws, case)


def field_error(page: str, field_id: str) -> bool:
    """Whether the page marks the input ``field_id`` invalid (Bootstrap's ``is-invalid``)."""
    return re.search(rf'class="[^"]*is-invalid[^"]*" id="{field_id}"', page) is not None
