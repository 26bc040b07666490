"""Sharing a case under a consent scope: the case document minus what a witness did not
agree to share (standards note, section d, C-2 and C-3).

Why a separate step from :mod:`dalil.records.exchange`: a complete case document is the team's
own lossless copy; anything that leaves the team goes to someone (a UN mechanism, a
prosecutor, the state committee, the public) and must honour each cooperating person's
consent. The rules:

* every restricted or protected person is checked against their consent records: the
  person's material may go out only if a consent record lists the scope, and no consent
  record of theirs is withdrawn (a withdrawal is taken to cover all their material; a
  fresh consent would be a new record given after it, which a person must confirm by
  correcting the withdrawn one);
* the material of a person who is out of scope is withheld: their record, every record
  linked to it (interview, consent, risk assessment, their testimony, an act they
  suffered, ...), every record that cannot do without a withheld one (information
  records from that testimony), every assertion about a withheld record or
  pointing at one, every assertion whose sources are all withheld, and the whole
  correction chain of a withheld assertion. Optional links to withheld records are cut;
  assertions that keep other sources lose the withheld ones;
* protection details never leave the team (review L10): under every scope but
  ``internal_analysis`` the export carries no risk assessment (threat sources, risk
  levels, protection measures, review dates: the whole record and every assertion about
  or pointing at it), no interview place type or referral, and of a consent record only
  what was agreed (``scope``, ``explained``, ``date``, ``withdrawn``), not who obtained
  it, the language, the conditions, the guardian or the signature reference. Consent to
  publish or share an account is not consent to show how its giver is protected, and a
  recipient needs none of it to use the account;
* the document says what was withheld, in counts and pseudonyms only (``sharing``), so
  a reader knows the picture is partial;
* each scoped export is a custody-ledger event naming the scope, the recipient and the
  pseudonyms of the protected persons whose material went out, so that after a
  withdrawal the earlier recipients can be listed for follow-up (:func:`recipients`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.access import audit
from dalil.errors import WorkspaceError
from dalil.model import kind_spec
from dalil.model.tables import Person
from dalil.records.book import Records
from dalil.records.exchange import export_case
from dalil.workspace import Workspace

#: the scopes under which protection details may go out: the team's own analysis
INTERNAL_SCOPES = frozenset({"internal_analysis"})
#: record kinds that are protection details as a whole
PROTECTION_KINDS = frozenset({"risk_assessment"})
#: fields of other kinds that are protection details: (kind, field)
PROTECTION_FIELDS = frozenset(
    {
        ("interview", "place_type"),
        ("interview", "referral"),
        ("consent_record", "obtained_by"),
        ("consent_record", "language"),
        ("consent_record", "conditions"),
        ("consent_record", "guardian"),
        ("consent_record", "evidence"),
    }
)


@dataclass(frozen=True)
class Standing:
    """Whether one protected person's material may be shared under a scope, and why."""

    person_id: str
    label: str
    allowed: bool
    why: str


def standings(session: Session, case_id: str, scope: str) -> list[Standing]:
    """Every restricted or protected person of the case, by label, against ``scope``."""
    book = Records(session, case_id, "sharing")
    book.vocabs.check("consent_scope", scope, "scope")
    consents: dict[str, list[Any]] = {}
    for c in book.all("consent_record"):
        if person := c.refs.get("person"):
            consents.setdefault(person, []).append(c)
    persons = session.scalars(
        select(Person)
        .where(Person.case_id == case_id, Person.protection_level != "public")
        .order_by(Person.label, Person.id)
    )
    out = []
    for p in persons:
        mine = consents.get(p.id, [])
        withdrawn = [c for c in mine if c.values("withdrawn")]
        if not mine:
            allowed, why = False, "no consent record"
        elif withdrawn:
            allowed, why = False, "consent withdrawn"
        elif any(scope in c.values("scope") for c in mine):
            allowed, why = True, f"consent covers {scope}"
        else:
            allowed, why = False, f"consent does not cover {scope}"
        out.append(Standing(p.id, p.label or p.id[:8], allowed, why))
    return out


def scoped_document(session: Session, case_id: str, scope: str) -> dict[str, Any]:
    """The case document as it may be shared under ``scope`` (see the module docstring).

    The result is itself a valid case document (every link resolves), so a recipient can
    import it; its ``sharing`` section lists the scope, the withheld persons' pseudonyms
    and reasons, and how much was withheld (protection details included in the counts)."""
    stands = standings(session, case_id, scope)
    doc = export_case(session, case_id)
    withheld = {s.person_id for s in stands if not s.allowed}
    records, assertions = doc["records"], doc["assertions"]
    protection: set[str] = set()
    if scope not in INTERNAL_SCOPES:
        protection = {r["id"] for r in records if r["kind"] in PROTECTION_KINDS}
        kind_of = {r["id"]: r["kind"] for r in records}
        assertions = [  # a correction chain shares its subject and field: it goes whole
            a
            for a in assertions
            if (kind_of.get(a["subject"]), a["field"]) not in PROTECTION_FIELDS
        ]
    records, assertions, thinned = _withhold(records, assertions, withheld, protection)
    doc["sharing"] = {
        "scope": scope,
        "withheld_persons": [{"label": s.label, "why": s.why} for s in stands if not s.allowed],
        "included_protected": [s.label for s in stands if s.allowed],
        "withheld_records": len(doc["records"]) - len(records),
        "withheld_assertions": len(doc["assertions"]) - len(assertions),
        "assertions_with_withheld_sources": thinned,
    }
    doc["records"], doc["assertions"] = records, assertions
    return doc


def _withhold(
    records: list[dict[str, Any]],
    assertions: list[dict[str, Any]],
    persons: set[str],
    others: Iterable[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """The records and assertions left once ``persons`` and everything that depends on
    them, and the ``others`` records (protection details) and what cannot do without
    them, are taken out; also how many kept assertions lost some of their sources."""
    out = set(persons) | set(others)
    changed = True
    while changed:  # a record goes if it is about a withheld person (any link to them) or
        changed = False  # a link it cannot do without points at a withheld record
        for r in records:
            if r["id"] in out:
                continue
            required = {ref.name for ref in kind_spec(r["kind"]).refs if ref.required}
            if any(
                target in persons or (target in out and name in required)
                for name, target in r["refs"].items()
            ):
                out.add(r["id"])
                changed = True
    kept_records = []
    for r in records:
        if r["id"] not in out:
            refs = {k: (None if v in out else v) for k, v in r["refs"].items()}
            kept_records.append({**r, "refs": refs})
    dropped = {
        a["id"]
        for a in assertions
        if a["subject"] in out
        or (isinstance(a["value"], dict) and a["value"].get("id") in out)
        or (a["sources"] and all(s in out for s in a["sources"]))
    }
    chain = {a["id"]: a["supersedes"] for a in assertions if a["supersedes"]}
    grew = True
    while grew:  # a correction chain goes as a whole
        before = len(dropped)
        dropped |= {new for new, old in chain.items() if old in dropped}
        dropped |= {old for new, old in chain.items() if new in dropped}
        grew = len(dropped) > before
    kept, thinned = [], 0
    for a in assertions:
        if a["id"] in dropped:
            continue
        sources = [s for s in a["sources"] if s not in out]
        thinned += len(sources) < len(a["sources"])
        kept.append({**a, "sources": sources})
    return kept_records, kept, thinned


def note_export(
    trail: audit.AuditTrail, actor: str, doc: dict[str, Any], recipient: str | None
) -> None:
    """Add the ``export`` custody event of a scoped case document to ``trail``
    (pseudonyms and counts only)."""
    sharing = doc["sharing"]
    trail.note(
        "export", actor, case=doc["case"]["id"], scope=sharing["scope"],
        recipient=(recipient or "")[:200] or None, records=len(doc["records"]),
        included_protected=sharing["included_protected"],
        withheld_persons=[w["label"] for w in sharing["withheld_persons"]],
    )  # fmt: skip


def record_export(ws: Workspace, actor: str, doc: dict[str, Any], recipient: str | None) -> None:
    """Append the export's custody event now, in its own transaction (the CLI's case)."""
    with ws.session() as s:
        if not audit.ready(s):
            raise WorkspaceError(
                "sharing is recorded in the custody ledger, which this workspace does not "
                "have yet: create it with `dalil vault init`"
            )
    trail = audit.AuditTrail()
    note_export(trail, actor, doc, recipient)
    audit.flush(ws, trail)


def recipients(session: Session, case_id: str, label: str) -> list[dict[str, Any]]:
    """Earlier scoped exports that carried the material of the person with pseudonym
    ``label``: who received what and when (oldest first), for follow-up after a
    withdrawal of consent."""
    found = audit.entries(session, audit.Query(action="export", case=case_id, limit=None))
    return [
        {"time": e["time"], "actor": e["actor"], "scope": e["detail"].get("scope"),
         "recipient": e["detail"].get("recipient")}
        for e in reversed(found)
        if label in e["detail"].get("included_protected", [])
    ]  # fmt: skip
