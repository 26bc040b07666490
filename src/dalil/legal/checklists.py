"""Protocol checklists (Minnesota, Bournemouth, Berkeley, casualty recording), computed
from the records where a rule can tell, set by a person otherwise.

Each item is checked for its scope: the case once, or each death (a killing act), each
witness, each burial site, each digital source, each evidence item. A status is one of
complete, partial, not started, not applicable or impossible. ``impossible`` carries the
reason and, where known, who prevented it: an autopsy made impossible by a forced burial
is itself evidence, so the rule says so and names the perpetrators recorded for the act.
A person's entry (:func:`decide`) overrides the rule for that item and subject.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.legal.casebook import CaseBook, ref_id
from dalil.legal.suggest import FIGHTING, PROTECTED, _killings
from dalil.legal.tables import ChecklistEntry
from dalil.model.tables import utcnow
from dalil.records import RecordView, new_id

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


@dataclass(frozen=True)
class Protocol:
    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Check:
    """The status of one item for one subject (``subject`` None for the case)."""

    status: str
    reason: str = ""
    prevented_by: str | None = None
    subject: str | None = None
    label: str | None = None
    decided_by: str | None = None  # a person's entry; None when computed


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
        items = tuple(Item(i["code"], i["scope"], i["text"], i.get("rule")) for i in p["items"])
        for i in items:
            if i.scope not in SCOPES or (i.rule and i.rule not in RULES):
                raise InvalidInput(f"checklist item {p['code']}/{i.code} is malformed")
        out.append(Protocol(p["code"], p["title"], items))
    return tuple(out)


def protocol(code: str) -> Protocol:
    for p in protocols():
        if p.code == code:
            return p
    known = ", ".join(p.code for p in protocols())
    raise InvalidInput(f"unknown protocol {code!r} (known: {known})", path="protocol")


# -- rules: each returns a Check for one subject -------------------------------------------

Rule = Callable[[CaseBook, RecordView | None], Check]


def _graded(have: int, need: int, missing: list[str]) -> Check:
    if have == need:
        return Check("complete")
    return Check("not_started" if have == 0 else "partial", "missing: " + ", ".join(missing))


def _fields(view: RecordView | None, names: tuple[str, ...]) -> Check:
    if view is None:
        return Check("not_started", "no record")
    missing = [n for n in names if not view.values(n)]
    return _graded(len(names) - len(missing), len(names), missing)


def _mandate(cb: CaseBook) -> RecordView | None:
    return next(iter(cb.of("mandate")), None)


def _victim(cb: CaseBook, act: RecordView | None) -> RecordView | None:
    return cb.by_id.get(act.refs.get("victim") or "") if act else None


def _perpetrators(cb: CaseBook, act: RecordView) -> str | None:
    names = []
    for inv in cb.involvements_by_act.get(act.id, []):
        who = cb.by_id.get(inv.refs.get("organisation") or inv.refs.get("person") or "")
        if who is not None:
            names.append(who.label or who.title)
    return "; ".join(sorted(set(names))) or None


def mandate_recorded(cb: CaseBook, _: RecordView | None) -> Check:
    return _fields(_mandate(cb), ("requested_by", "scope", "legal_framework"))


def methodology_recorded(cb: CaseBook, _: RecordView | None) -> Check:
    return _fields(_mandate(cb), ("methodology", "standard_of_proof"))


def casualty_methodology(cb: CaseBook, _: RecordView | None) -> Check:
    return _fields(_mandate(cb), ("methodology", "inclusion_criteria", "exclusion_criteria"))


def disagreements_kept(cb: CaseBook, _: RecordView | None) -> Check:
    n = sum(1 for vs in cb.by_kind.values() for v in vs if v.disagreements())
    if n:
        return Check(
            "partial",
            f"{n} record(s) keep disagreeing accounts side by side; "
            "exculpatory evidence and alternative explanations are a person's call",
        )
    return Check("not_started", "no alternative account recorded")


def victim_identified(cb: CaseBook, act: RecordView | None) -> Check:
    victim = _victim(cb, act)
    if victim is None:
        return Check("not_started", "no victim linked to the act")
    if victim.values("name") or victim.protection_level != "public":
        return Check("complete")
    return Check("not_started", "no name recorded")


def material_preserved(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    preserved = [i for i in infos if (i.refs.get("source") or "") in cb.preserved]
    if preserved:
        return Check("complete")
    if infos:
        return Check("partial", "sources recorded, but no original kept in the vault")
    return Check("not_started", "no source for the incident")


def witnesses_heard(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    heard = [i for i in infos if i.value("connection") in ("witness", "victim", "relative")]
    return Check("complete") if heard else Check("not_started", "no witness account")


def cause_manner(cb: CaseBook, act: RecordView | None) -> Check:
    return _fields(act, ("act_type", "method", "date", "place"))


def cause_of_death(cb: CaseBook, act: RecordView | None) -> Check:
    return _fields(act, ("method",))


def date_location(cb: CaseBook, act: RecordView | None) -> Check:
    return _fields(act, ("date", "place"))


def responsibility(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    return (
        Check("complete")
        if cb.involvements_by_act.get(act.id)
        else Check("not_started", "no perpetrator involvement recorded")
    )


def autopsy(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    done = act.value("autopsy")
    if done == "by_medical_professionals":
        return Check("complete")
    if done == "informal_examination":
        return Check("partial", "informal examination only")
    if done == "impossible":
        site = cb.by_id.get(ref_id(act.value("burial_site")) or "")
        forced = site is not None and site.value("forced_burial") == "yes"
        why = (
            "the body was buried by force before any examination"
            if forced
            else "recorded as impossible"
        )
        return Check("impossible", why, _perpetrators(cb, act) if forced else None)
    return Check("not_started", "no autopsy recorded")


def autopsy_alternatives(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    if act.value("autopsy") in ("by_medical_professionals", "informal_examination"):
        return Check("not_applicable", "an examination was performed")
    certificate = act.value("death_certificate") not in (None, "none_exists", "unknown")
    accounts = witnesses_heard(cb, act).status == "complete"
    have = [
        n for n, ok in (("death certificate", certificate), ("witness account", accounts)) if ok
    ]
    if len(have) == 2:
        return Check("complete")
    missing = [n for n in ("death certificate", "witness account") if n not in have]
    return Check("partial" if have else "not_started", "missing: " + ", ".join(missing))


def risk_assessed(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    return (
        Check("complete")
        if cb.linked(p.id, "risk_assessment")
        else Check("not_started", "no risk assessment")
    )


def consent_recorded(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    consents = cb.linked(p.id, "consent_record")
    if not consents:
        return Check("not_started", "no consent record")
    if any(c.values("withdrawn") for c in consents):
        return Check("partial", "consent withdrawn: material must not be used or shared")
    return _fields(consents[-1], ("scope", "explained"))


def interview_recorded(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    interviews = cb.linked(p.id, "interview")
    if not interviews:
        return Check("not_started", "no interview recorded")
    return _fields(interviews[-1], ("date", "interviewer", "language", "mode", "summary"))


def custody_chain(cb: CaseBook, item: RecordView | None) -> Check:
    return Check("complete", "ingest and every later custody event are in the ledger")


def site_reported(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("report_date", "report_channel", "estimated_individuals"))


def site_verified(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    basis = s.values("verification_basis")
    status = s.value("verification_status")
    if status in ("confirmed_site_visit", "confirmed_imagery") or len(basis) >= 2:
        return Check("complete")
    return Check(
        "partial" if basis or status else "not_started",
        "fewer than two independent bases of verification",
    )


def site_located(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    place = cb.by_id.get(ref_id(s.value("place")) or "")
    loc = place.value("location") if place else None
    precise = loc is not None and getattr(loc, "lat", None) is not None
    have = [n for n, ok in (("coordinates", precise), ("extent", bool(s.values("extent")))) if ok]
    return _graded(len(have), 2, [n for n in ("coordinates", "extent") if n not in have])


def site_custodian(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("custodian",))


def site_protected(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    measures = s.values("protection_measure") + s.values("legal_order")
    if not measures:
        return Check("not_started", "no protection measure or order recorded")
    if s.values("disturbance"):
        return Check(
            "partial", f"{len(s.values('disturbance'))} disturbance(s) logged despite protection"
        )
    return Check("complete")


def site_families(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    informed = s.value("families_informed")
    if informed == "yes":
        return (
            Check("complete")
            if s.values("religious_requirements")
            else Check("partial", "families' wishes and religious requirements not recorded")
        )
    return Check("not_started", f"families informed: {informed or 'not recorded'}")


def site_investigation(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    status = s.value("investigation_status")
    if status == "closed":
        return Check("complete")
    if status == "obstructed":
        return Check("impossible", "investigation obstructed", s.value("custodian"))
    if status in ("planned", "excavation", "analysis"):
        return Check("partial", f"investigation {status}")
    return Check("not_started", "no investigation yet")


def site_reconciled(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    linked = [a for a in cb.of("act") if ref_id(a.value("burial_site")) == s.id]
    if not s.values("estimated_individuals"):
        return Check("not_started", "no estimate of the number buried")
    if not linked:
        return Check("partial", "no documented victim linked to the site")
    return Check(
        "partial",
        f"{len(linked)} documented victim(s) linked; identifications "
        "not yet reconciled by exhumation",
    )


def digital_collection(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("url", "date"))


def digital_preserved(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    return (
        Check("complete")
        if s.id in cb.preserved
        else Check("not_started", "no copy of the original in the vault")
    )


def digital_source_assessed(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("reliability", "publisher"))


def digital_used(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    infos = cb.infos_by_source.get(s.id, [])
    return Check("complete") if infos else Check("not_started", "not yet linked to any fact")


def death_sourced(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    sourced = any(f.sources for fs in act.current.values() for f in fs)
    return Check("complete") if sourced else Check("not_started", "no source cited")


def name_age_sex(cb: CaseBook, act: RecordView | None) -> Check:
    victim = _victim(cb, act)
    if victim is not None and victim.protection_level != "public":
        return _fields(victim, ("age", "sex"))
    return _fields(victim, ("name", "age", "sex"))


def civilian_status(cb: CaseBook, act: RecordView | None) -> Check:
    status = set(v.values("civilian_status")) if (v := _victim(cb, act)) else set()
    if not status:
        return Check("not_started", "status not recorded")
    if status <= PROTECTED or status <= FIGHTING:
        return Check("complete")
    return Check("partial", "status recorded but disputed or unknown")


def corroborated(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    sources = {s for fs in act.current.values() for f in fs for s in f.sources}
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    n = len({i.refs.get("source") for i in infos if i.id in sources} or sources)
    return (
        Check("complete") if n >= 2 else Check("partial" if n else "not_started", f"{n} source(s)")
    )


RULES: dict[str, Rule] = {
    f.__name__: f
    for f in (
        mandate_recorded,
        methodology_recorded,
        casualty_methodology,
        disagreements_kept,
        victim_identified,
        material_preserved,
        witnesses_heard,
        cause_manner,
        cause_of_death,
        date_location,
        responsibility,
        autopsy,
        autopsy_alternatives,
        risk_assessed,
        consent_recorded,
        interview_recorded,
        custody_chain,
        site_reported,
        site_verified,
        site_located,
        site_custodian,
        site_protected,
        site_families,
        site_investigation,
        site_reconciled,
        digital_collection,
        digital_preserved,
        digital_source_assessed,
        digital_used,
        death_sourced,
        name_age_sex,
        civilian_status,
        corroborated,
    )
}


# -- subjects, overrides, status -------------------------------------------------------


def subjects(cb: CaseBook, scope: str) -> list[RecordView | None]:
    if scope == "case":
        return [None]
    if scope == "death":
        return list(_killings(cb.of("act")))
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


def _item_view(cb: CaseBook, item: object) -> RecordView:
    """A vault item dressed as a record view, so evidence items go through the same rules."""
    from dalil.vault.tables import VaultItem

    assert isinstance(item, VaultItem)
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
    if not checks:
        return "not_applicable"
    if not counted:
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
    out = []
    for item in p.items:
        checks = []
        for subject in subjects(cb, item.scope):
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
                check = Check("not_started", "set by a person")
            label = (subject.label or subject.title) if subject is not None else None
            checks.append(
                Check(check.status, check.reason, check.prevented_by, sid, label, check.decided_by)
            )
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
