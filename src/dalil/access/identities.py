"""The identity vault: protected persons' true identities, apart from the case records.

Standards note (d), P-1 to P-3: case records know a witness only by a pseudonym ("W-007")
and an opaque id; the real names, contact details, address, ID numbers and notes live
here, sealed (AES-256-GCM, bound to the person id) under the *identity key*. That key is a
random key of its own, distinct from the master key that wraps evidence keys, stored only
sealed under the master key and created on first use; key rotation re-seals it. The key
is the vault's (:func:`dalil.vault.key_changes.identity_key`, re-exported here); the
entries it seals are this module's. Nothing
here is indexed or searchable in plaintext.

Revealing an identity needs the ``reveal_identity`` permission (protection officers), a
stated reason and the user's password (and second factor) again (step-up, ASVS 7.5.3);
erasing one (when it is no longer needed, A-5) needs ``erase_identity`` and the same.
Every reveal, erasure, refusal and record is a custody-ledger entry written in the same
transaction as the read or write (P-2, A-2). The reason is kept in the ledger: it must
describe why, not whom.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.access import accounts, policy
from dalil.access.tables import User, WitnessIdentity
from dalil.errors import DalilError, InvalidInput, NotFound
from dalil.model.tables import Person, utcnow
from dalil.vault import keys, ledger
from dalil.vault.crypto import open_sealed, seal
from dalil.vault.key_changes import identity_key as identity_key
from dalil.workspace import Workspace

MIN_REASON = 10
T = TypeVar("T")


@dataclass
class Identity:
    """What identifies a protected person. Every field is optional; all are sealed."""

    names: list[str] = field(default_factory=list)
    contact: str = ""
    address: str = ""
    id_numbers: list[str] = field(default_factory=list)
    notes: str = ""

    def __post_init__(self) -> None:
        for name, value in (("names", self.names), ("id_numbers", self.id_numbers)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InvalidInput("must be a list of texts", path=name)
        if not any((self.names, self.contact, self.address, self.id_numbers, self.notes)):
            raise InvalidInput("an identity needs at least one value", path="names")


def _protected_person(session: Session, case_id: str, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.case_id != case_id:
        raise NotFound("no such person in this case", path="person")
    if person.protection_level == "public":
        raise InvalidInput(
            f"{person.label} is a public person; only restricted or protected persons have "
            "an identity vault entry",
            path="person",
        )
    return person


def record(
    session: Session, ring: keys.KeyRing, case_id: str, person_id: str, identity: Identity,
    actor: str,
) -> None:  # fmt: skip
    """Store (or replace) a protected person's identity; recorded in the ledger."""
    ledger.lock(session)
    person = _protected_person(session, case_id, person_id)
    sealed = seal(
        identity_key(session, ring),
        json.dumps(asdict(identity), ensure_ascii=False).encode("utf-8"),
        person.id.encode(),
    )
    found = session.get(WitnessIdentity, person.id)
    if found is None:
        session.add(
            WitnessIdentity(
                person_id=person.id, case_id=case_id, sealed=sealed, updated_at=utcnow(),
                updated_by=actor,
            )
        )  # fmt: skip
    else:
        found.sealed, found.updated_at, found.updated_by = sealed, utcnow(), actor
    ledger.append(
        session,
        [
            ledger.make_entry(
                "identity_recorded", actor, case=case_id, detail={"person": person.label}
            )
        ],
    )


def recorded_persons(session: Session, case_id: str) -> set[str]:
    return set(
        session.scalars(select(WitnessIdentity.person_id).where(WitnessIdentity.case_id == case_id))
    )


def reveal(
    ws: Workspace, ring: keys.KeyRing, user_id: str, case_id: str, person_id: str, *,
    reason: str, password: str, code: str = "",
) -> Identity:  # fmt: skip
    """The identity, for a protection officer who gives a reason and re-authenticates
    (see :func:`_stepped_up` for the refusals)."""

    def read(s: Session, user: User, person: Person, found: WitnessIdentity) -> Identity:
        plain = open_sealed(identity_key(s, ring), found.sealed, person.id.encode())
        return Identity(**json.loads(plain))

    return _stepped_up(ws, user_id, case_id, person_id, "reveal_identity", "identity_revealed",
                       reason, password, code, read)  # fmt: skip


def erase(
    ws: Workspace, user_id: str, case_id: str, person_id: str, *, reason: str, password: str,
    code: str = "",
) -> None:  # fmt: skip
    """Delete a protected person's identity for good (retention, standards note d, A-5):
    the sealed entry goes, the case records stay readable under the pseudonym, and the
    ledger keeps who erased it, when and why. Same checks as :func:`reveal`, with the
    ``erase_identity`` permission (protection officers).

    On SQLite the freed pages are overwritten (``secure_delete``); PostgreSQL keeps the
    dead row's ciphertext until the table is vacuumed (docs/server.md)."""

    def delete(s: Session, user: User, person: Person, found: WitnessIdentity) -> None:
        s.delete(found)

    _stepped_up(ws, user_id, case_id, person_id, "erase_identity", "identity_erased", reason,
                password, code, delete)  # fmt: skip


def _stepped_up(
    ws: Workspace, user_id: str, case_id: str, person_id: str, action: policy.Action,
    done_action: str, reason: str, password: str, code: str,
    act: Callable[[Session, User, Person, WitnessIdentity], T],
) -> T:  # fmt: skip
    """Run ``act`` on a protected person's identity entry for a user who holds ``action``
    in the case, states a reason and re-authenticates; ledger entry ``done_action`` (with
    the pseudonym and the reason) in the same transaction.

    Runs in its own transaction so that a refusal is committed to the ledger (as
    ``access_denied``, with a failed re-authentication counted towards the lockout)
    before its error is raised: the policy's (404 for a case the user may not see, 403
    for a role that may not do this), a missing reason (400) or a failed
    re-authentication (401).
    """
    failure: DalilError | None = None
    with ws.session() as s:
        ledger.lock(s)
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("no such user", path="user")
        try:
            policy.require(s, user, case_id, action)
            if len(reason.strip()) < MIN_REASON:
                raise InvalidInput(f"state why (at least {MIN_REASON} characters)", path="reason")
            accounts.authenticate(s, user.name, password, code)
            person = _protected_person(s, case_id, person_id)
            found = s.get(WitnessIdentity, person.id)
            if found is None:
                raise NotFound(f"no identity is recorded for {person.label}", path="person")
        except (NotFound, policy.Forbidden, InvalidInput, accounts.AuthenticationFailed) as err:
            failure = err
            entry = ledger.make_entry(
                "access_denied",
                user.name,
                case=case_id,
                detail={"action": action, "why": err.code, "person": person_id},
            )
        else:
            result = act(s, user, person, found)
            entry = ledger.make_entry(
                done_action,
                user.name,
                case=case_id,
                detail={"person": person.label, "reason": reason.strip()[:500]},
            )
        ledger.append(s, [entry])
    if failure is not None:
        raise failure
    return result
