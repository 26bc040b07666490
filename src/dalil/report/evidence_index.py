"""The case file's evidence index: every vault item of the case by hash, size, type and
ledger index, and, so a reader can tell one item from another, its name, description,
source, acquisition date and the records it supports, as far as the audience may see.

The names are sealed metadata: they are read through the unlocked vault (``unseal``, the
vault's ``describe_many``, which records a view of each item in the custody ledger).
Without it the index says "name sealed" and still lists the records each item supports
(links are not sealed).

What each audience gets (see docs/reports.md, "Evidence index"):

* ``internal`` and ``committee``: original file name, description (the ingest notes),
  source, acquisition date, and the records it supports as the rest of the file shows
  them (victims by name, protected persons by pseudonym). For ``committee``, records the
  consent scope withholds are counted, not named, and an item that supports any of them
  has its name and description withheld too: it is part of withheld material (a
  transcript's file name and notes say whose testimony it is).
* ``public``: a neutral description made from the media type ("Photograph",
  "Translation (text)"), and the incidents, burial sites and sources it supports; no
  file name, notes or source (they are written for the team and may name people, places
  of refuge or devices), and persons only counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from dalil.legal.casebook import CaseBook
from dalil.model.words import N_
from dalil.records import RecordView
from dalil.vault.holdings import records_of

#: Reads sealed metadata: item ids -> {item id: metadata} (the vault's ``describe_many``).
Unseal = Callable[[list[str]], dict[str, dict[str, Any]]]

SEALED = N_("name sealed")
WITHHELD = N_("withheld: part of material not shared with this audience")
NOT_PUBLISHED = "not published in this edition"

_MEDIA = (
    ("image/gif", "Animated image"),
    ("image/", "Photograph"),
    ("video/", "Video"),
    ("audio/", "Audio recording"),
    ("application/pdf", "PDF document"),
    ("text/", "Text"),
)


def neutral(media_type: str, derivation: str | None) -> str:
    """A description that says what kind of thing an item is and nothing of its content."""
    kind = next((label for prefix, label in _MEDIA if media_type.startswith(prefix)), "File")
    if derivation:
        return f"{derivation.replace('_', ' ').capitalize()} ({kind.lower()})"
    return kind


def _shown(v: RecordView, audience: str) -> str | None:
    """How a supported record is named for ``audience``; None: counted, not named."""
    if v.kind == "person":
        if audience == "public":
            return None
        return v.title if v.protection_level == "public" else (v.label or "protected person")
    return v.label or v.title


def index(
    session: Session, cb: CaseBook, audience: str, unseal: Unseal | None = None
) -> list[dict[str, Any]]:
    """The rows of the evidence index, in ingest order (see the module docstring)."""
    ids = [i.id for i in cb.items]
    links = records_of(session, cb.case_id, ids)
    meta: dict[str, dict[str, Any]] = {}
    if unseal is not None and ids and audience != "public":
        meta = unseal(ids)
    rows = []
    for item in cb.items:
        supports: list[str] = []
        hidden = withheld = 0
        for rid in links.get(item.id, []):
            view = cb.by_id.get(rid)
            if view is None:
                withheld += 1  # not under this audience's consent scope
            elif (name := _shown(view, audience)) is None:
                hidden += 1
            else:
                supports.append(name)
        if hidden:
            supports.append(f"{hidden} person record(s)")
        if withheld:
            supports.append(f"{withheld} withheld record(s)")
        row: dict[str, Any] = {
            "sha256": item.sha256,
            "size": item.size,
            "media_type": item.media_type,
            "ledger_index": item.ingest_index,
            "added": item.created_at.date().isoformat(),
            "derived": item.derivation or "",
            "supports": supports,
            "name": None,
            "description": None,
            "source": None,
            "acquired": None,
            "note": "",
        }
        if audience == "public":
            row["description"] = neutral(item.media_type, item.derivation)
            row["note"] = NOT_PUBLISHED
        elif withheld:
            row["note"] = WITHHELD
        elif item.id in meta:
            m = meta[item.id]
            acquired = m.get("acquired_at")
            row |= {
                "name": m.get("original_name"),
                "description": m.get("notes"),
                "source": m.get("source"),
                "acquired": acquired[:10] if isinstance(acquired, str) else None,
            }
        else:
            row["note"] = SEALED
        rows.append(row)
    return rows
