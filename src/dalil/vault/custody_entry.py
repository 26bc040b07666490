"""What a custody-ledger entry is: one of :data:`ACTIONS`, by an actor, at a UTC moment,
about a case and an evidence item, with details that never identify a person.

:mod:`dalil.vault.ledger` stores entries as RFC 8785 canonical JSON
(:mod:`dalil.vault.canonical`) and re-exports these names (``ledger.make_entry``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

#: changes to who may do what (recorded by :func:`dalil.access.accounts.record`)
ACCESS_CHANGES = (
    "member_added",
    "member_removed",
    "token_created",
    "token_revoked",
    # set-up by admins in the browser (dalil.web.team)
    "case_created",
    "user_added",
    "user_disabled",
    "second_factor_reset",
)
ACTIONS = (
    "ingest",
    "reingest",
    "view",
    "download",
    "export",
    "transfer",
    "redaction",
    "derive",
    # an item linked to / unlinked from a record it supports (dalil.vault.links)
    "attached",
    "detached",
    # a thumbnail or text excerpt derived from an item (dalil.vault.thumbnails)
    "thumbnail",
    "access_denied",
    "key_created",
    "key_rotated",
    "passphrase_changed",
    "key_recovered",
    "shares_issued",
    "checkpoint",
    # the access audit trail (dalil.access.audit): ASVS 16.3.1 / 16.3.2 at level 3
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "authorised",
    "identity_recorded",
    "identity_revealed",
    "identity_erased",
    *ACCESS_CHANGES,
)


def utc_stamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_entry(
    action: str,
    actor: str,
    *,
    case: str | None = None,
    item: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """A ledger entry. ``detail`` must not carry identifying data (names, file names)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown custody action {action!r}")
    return {
        "v": 1,
        "action": action,
        "actor": actor,
        "time": utc_stamp(at),
        "case": case,
        "item": item,
        "detail": dict(detail or {}),
    }
