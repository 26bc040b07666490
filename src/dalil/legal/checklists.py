"""Protocol checklists (Minnesota, Bournemouth, Berkeley, casualty recording), computed
from the records where a rule can tell, set by a person otherwise.

Each item is checked for its scope: the case once, or each death (a killing act), each
witness, each burial site, each digital source, each evidence item. A status is one of
complete, partial, not started, not applicable or impossible. ``impossible`` carries the
reason and, where known, who prevented it: an autopsy made impossible by a forced burial
is itself evidence, so the rule says so and names the perpetrators recorded for the act.
A person's entry (:func:`decide`) overrides the rule for that item and subject. Titles and
items have their Arabic form beside them in the data (``title_ar``, ``text_ar``).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.legal.casebook import CaseBook
from dalil.legal.checklist_rules import RULES, Check
from dalil.legal.suggest import killings
from dalil.legal.tables import ChecklistEntry
from dalil.legal.wording import in_language
from dalil.model.tables import utcnow
from dalil.model.words import N_, Phrase
from dalil.records import RecordView, new_id
from dalil.vault.holdings import EvidenceItem

STATUSES = ("complete", "partial", "not_started", "not_applicable", "impossible")
SCOPES = ("case", "death", "witness", "burial_site", "digital_item", "evidence")
DIGITAL = {
    "photograph",
    "video",
    "audio",
    "social_media_post",
    "satellite_imagery",
    "geolocation_report",
    "broadcast",
}


@dataclass(frozen=True)
class Item:
    code: str
    scope: str
    text: str
    rule: str | None
    text_ar: str = ""

    def text_in(self, lang: str) -> str:
        return in_language(self.text, self.text_ar, lang)


@dataclass(frozen=True)
class Protocol:
    code: str
    title: str
    items: tuple[Item, ...]
    title_ar: str = ""

    def title_in(self, lang: str) -> str:
        return in_language(self.title, self.title_ar, lang)


@dataclass
class ItemStatus:
    item: Item
    status: str
    checks: list[Check]

    @property
    def why(self) -> Check | None:
        """The check that explains the status best: an impossible one (it is evidence in
        itself), else the first with a reason."""
        reasons = [c for c in self.checks if c.reason]
        return next((c for c in reasons if c.status == "impossible"), None) or next(
            iter(reasons), None
        )

    @property
    def tally(self) -> dict[str, int]:
        return dict(Counter(c.status for c in self.checks))


@cache
def protocols() -> tuple[Protocol, ...]:
    text = (resources.files("dalil") / "data" / "legal" / "checklists.toml").read_text("utf-8")
    data = tomllib.loads(text)
    out = []
    for p in data["protocols"]:
        items = tuple(
            Item(i["code"], i["scope"], i["text"], i.get("rule"), i.get("text_ar", ""))
            for i in p["items"]
        )
        for i in items:
            if i.scope not in SCOPES or (i.rule and i.rule not in RULES):
                raise InvalidInput(f"checklist item {p['code']}/{i.code} is malformed")
        out.append(Protocol(p["code"], p["title"], items, p.get("title_ar", "")))
    return tuple(out)


def protocol(code: str) -> Protocol:
    for p in protocols():
        if p.code == code:
            return p
    known = ", ".join(p.code for p in protocols())
    raise InvalidInput(f"unknown protocol {code!r} (known: {known})", path="protocol")


# -- subjects, overrides, status -------------------------------------------------------


def subjects(cb: CaseBook, scope: str) -> list[RecordView | None]:
    if scope == "case":
        return [None]
    if scope == "death":
        return list(killings(cb.of("act")))
    if scope == "witness":
        return [
            p
            for p in cb.of("person")
            if cb.linked(p.id, "interview") or cb.linked(p.id, "consent_record")
        ]
    if scope == "burial_site":
        return list(cb.of("burial_site"))
    if scope == "digital_item":
        return [s for s in cb.of("source") if s.value("material_type") in DIGITAL]
    return [_item_view(cb, i) for i in cb.items]


def _item_view(cb: CaseBook, item: EvidenceItem) -> RecordView:
    """A vault item dressed as a record view, so evidence items go through the same rules."""
    return RecordView(
        "evidence",
        item.id,
        cb.case_id,
        f"#{item.ingest_index}",
        item.created_at,
        item.created_by,
        {},
        None,
    )


def _overrides(
    session: Session, case_id: str, proto: str
) -> dict[tuple[str, str | None], ChecklistEntry]:
    rows = session.scalars(
        select(ChecklistEntry)
        .where(ChecklistEntry.case_id == case_id, ChecklistEntry.protocol == proto)
        .order_by(ChecklistEntry.decided_at, ChecklistEntry.id)
    )
    return {(r.item, r.subject_id): r for r in rows}


def _overall(checks: list[Check]) -> str:
    counted = [c.status for c in checks if c.status != "not_applicable"]
    if not counted:  # no subject, or none the item applies to
        return "not_applicable"
    if all(s == "impossible" for s in counted):
        return "impossible"
    if all(s == "complete" for s in counted):
        return "complete"
    if all(s == "not_started" for s in counted):
        return "not_started"
    return "partial"


def evaluate(
    session: Session, case_id: str, proto: str, cb: CaseBook | None = None
) -> list[ItemStatus]:
    """Every item of a protocol with its status, per subject and overall."""
    p = protocol(proto)
    cb = cb or CaseBook.load(session, case_id)
    manual = _overrides(session, case_id, proto)
    of_scope = {scope: subjects(cb, scope) for scope in {i.scope for i in p.items}}
    out = []
    for item in p.items:
        checks = []
        for subject in of_scope[item.scope]:
            sid = subject.id if subject is not None else None
            entry = manual.get((item.code, sid))
            if entry is not None:
                check = Check(
                    entry.status,
                    entry.reason or "",
                    entry.prevented_by,
                    decided_by=entry.decided_by,
                )
            elif item.rule:
                check = RULES[item.rule](cb, subject)
            else:
                check = Check("not_started", Phrase(N_("set by a person")))
            label = (subject.label or subject.title) if subject is not None else None
            kind = subject.kind if subject is not None else None
            checks.append(replace(check, subject=sid, label=label, kind=kind))
        out.append(ItemStatus(item, _overall(checks), checks))
    return out


def decide(
    session: Session,
    case_id: str,
    proto: str,
    item: str,
    *,
    status: str,
    actor: str,
    subject_id: str | None = None,
    reason: str | None = None,
    prevented_by: str | None = None,
) -> ChecklistEntry:
    """A person's status for an item (for the case, or one subject of the item's scope)."""
    found = next((i for i in protocol(proto).items if i.code == item), None)
    if found is None:
        raise InvalidInput(f"{proto} has no item {item!r}", path="item")
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", path="status")
    if status in ("not_applicable", "impossible") and not reason:
        raise InvalidInput(
            f"say why the item is {status.replace('_', ' ')} (reason)", path="reason"
        )
    if (found.scope == "case") != (subject_id is None):
        raise InvalidInput(
            f"item {item} is checked per {found.scope}"
            + ("; give no subject" if found.scope == "case" else "; name one"),
            path="subject",
        )
    if subject_id is not None:
        cb = CaseBook.load(session, case_id)
        if subject_id not in {s.id for s in subjects(cb, found.scope) if s is not None}:
            raise InvalidInput(f"{subject_id} is not a {found.scope} of this case", path="subject")
    row = ChecklistEntry(
        id=new_id(),
        case_id=case_id,
        protocol=proto,
        item=item,
        subject_id=subject_id,
        status=status,
        reason=reason,
        prevented_by=prevented_by,
        decided_by=actor,
        decided_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row
