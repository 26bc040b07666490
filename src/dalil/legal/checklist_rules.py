"""The rules that compute a protocol checklist item's status from the records, one
function per rule named in ``dalil/data/legal/checklists.toml``.

Each rule gets the case book and one subject of the item's scope (None for the case) and
returns a :class:`Check`. Rules say only what the records show; what they cannot see (a
scene sketch, a seal) stays for a person to set (:func:`dalil.legal.checklists.decide`).
A reason is a :class:`~dalil.model.words.Phrase`: English, and sayable in Arabic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dalil.legal.casebook import CaseBook
from dalil.legal.suggest import FIGHTING, PROTECTED
from dalil.model.words import N_, Phrase, Term
from dalil.records import RecordView, ref_id


@dataclass(frozen=True)
class Check:
    """The status of one item for one subject (``subject`` None for the case)."""

    status: str
    reason: str = ""
    prevented_by: str | None = None
    subject: str | None = None
    label: str | None = None
    decided_by: str | None = None  # a person's entry; None when computed
    #: the subject's record kind (``act``, ``person``...; None for the case)
    kind: str | None = None

    @property
    def unnamed(self) -> bool:
        """Whether :attr:`label` is only the record's kind and short id (an act has no
        title): a page names it by its kind, in its own language, and the id."""
        return bool(self.kind and self.subject and self.label == f"{self.kind} {self.subject[:8]}")


Rule = Callable[[CaseBook, RecordView | None], Check]


def _graded(found: dict[str, bool]) -> Check:
    """Complete when everything named is there, not started when nothing is, else partial;
    the reason names what is missing."""
    missing = [name for name, ok in found.items() if not ok]
    if not missing:
        return Check("complete")
    status = "not_started" if len(missing) == len(found) else "partial"
    return Check(status, Phrase(N_("missing: {fields}"), fields=tuple(Term(n) for n in missing)))


def _fields(view: RecordView | None, names: tuple[str, ...]) -> Check:
    if view is None:
        return Check("not_started", Phrase(N_("no record")))
    return _graded({n: bool(view.values(n)) for n in names})


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
            Phrase(N_("{n} record(s) keep disagreeing accounts side by side; exculpatory evidence "
                    "and alternative explanations are a person's call"), n=n),
        )  # fmt: skip
    return Check("not_started", Phrase(N_("no alternative account recorded")))


def victim_identified(cb: CaseBook, act: RecordView | None) -> Check:
    victim = _victim(cb, act)
    if victim is None:
        return Check("not_started", Phrase(N_("no victim linked to the act")))
    if victim.values("name") or victim.protection_level != "public":
        return Check("complete")
    return Check("not_started", Phrase(N_("no name recorded")))


def material_preserved(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    preserved = [i for i in infos if (i.refs.get("source") or "") in cb.preserved]
    if preserved:
        return Check("complete")
    if infos:
        return Check("partial", Phrase(N_("sources recorded, but no original kept in the vault")))
    return Check("not_started", Phrase(N_("no source for the incident")))


def witnesses_heard(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    heard = [i for i in infos if i.value("connection") in ("witness", "victim", "relative")]
    return Check("complete") if heard else Check("not_started", Phrase(N_("no witness account")))


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
        else Check("not_started", Phrase(N_("no perpetrator involvement recorded")))
    )


def autopsy(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    done = act.value("autopsy")
    if done == "by_medical_professionals":
        return Check("complete")
    if done == "informal_examination":
        return Check("partial", Phrase(N_("informal examination only")))
    if done == "impossible":
        site = cb.by_id.get(ref_id(act.value("burial_site")) or "")
        forced = site is not None and site.value("forced_burial") == "yes"
        why = Phrase(
            N_("the body was buried by force before any examination")
            if forced
            else N_("recorded as impossible")
        )
        return Check("impossible", why, _perpetrators(cb, act) if forced else None)
    return Check("not_started", Phrase(N_("no autopsy recorded")))


def autopsy_alternatives(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    if act.value("autopsy") in ("by_medical_professionals", "informal_examination"):
        return Check("not_applicable", Phrase(N_("an examination was performed")))
    return _graded({
        N_("death certificate"):
            act.value("death_certificate") not in (None, "none_exists", "unknown"),
        N_("witness account"): witnesses_heard(cb, act).status == "complete",
    })  # fmt: skip


def risk_assessed(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    return (
        Check("complete")
        if cb.linked(p.id, "risk_assessment")
        else Check("not_started", Phrase(N_("no risk assessment")))
    )


def consent_recorded(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    consents = cb.linked(p.id, "consent_record")
    if not consents:
        return Check("not_started", Phrase(N_("no consent record")))
    if any(c.values("withdrawn") for c in consents):
        return Check(
            "partial", Phrase(N_("consent withdrawn: material must not be used or shared"))
        )
    return _fields(consents[-1], ("scope", "explained"))


def interview_recorded(cb: CaseBook, p: RecordView | None) -> Check:
    assert p is not None
    interviews = cb.linked(p.id, "interview")
    if not interviews:
        return Check("not_started", Phrase(N_("no interview recorded")))
    return _fields(interviews[-1], ("date", "interviewer", "language", "mode", "summary"))


def custody_chain(cb: CaseBook, item: RecordView | None) -> Check:
    return Check("complete", Phrase(N_("ingest and every later custody event are in the ledger")))


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
        Phrase(N_("fewer than two independent bases of verification")),
    )


def site_located(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    place = cb.by_id.get(ref_id(s.value("place")) or "")
    loc = place.value("location") if place else None
    precise = loc is not None and getattr(loc, "lat", None) is not None
    return _graded({N_("coordinates"): precise, "extent": bool(s.values("extent"))})


def site_custodian(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("custodian",))


def site_protected(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    measures = s.values("protection_measure") + s.values("legal_order")
    if not measures:
        return Check("not_started", Phrase(N_("no protection measure or order recorded")))
    if s.values("disturbance"):
        n = len(s.values("disturbance"))
        return Check("partial", Phrase(N_("{n} disturbance(s) logged despite protection"), n=n))
    return Check("complete")


def site_families(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    informed = s.value("families_informed")
    if informed == "yes":
        return (
            Check("complete")
            if s.values("religious_requirements")
            else Check(
                "partial", Phrase(N_("families' wishes and religious requirements not recorded"))
            )
        )
    answer = Term(informed, "tristate") if informed else Phrase(N_("not recorded"))
    return Check("not_started", Phrase(N_("families informed: {answer}"), answer=answer))


def site_investigation(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    status = s.value("investigation_status")
    if status == "closed":
        return Check("complete")
    if status == "obstructed":
        return Check("impossible", Phrase(N_("investigation obstructed")), s.value("custodian"))
    if status in ("planned", "excavation", "analysis"):
        stage = Term(status, "burial_investigation_status")
        return Check("partial", Phrase(N_("investigation {stage}"), stage=stage))
    return Check("not_started", Phrase(N_("no investigation yet")))


def site_reconciled(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    linked = [a for a in cb.of("act") if ref_id(a.value("burial_site")) == s.id]
    if not s.values("estimated_individuals"):
        return Check("not_started", Phrase(N_("no estimate of the number buried")))
    if not linked:
        return Check("partial", Phrase(N_("no documented victim linked to the site")))
    return Check(
        "partial",
        Phrase(N_("{n} documented victim(s) linked; identifications not yet reconciled by "
                "exhumation"), n=len(linked)),
    )  # fmt: skip


def digital_collection(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("url", "date"))


def digital_preserved(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    return (
        Check("complete")
        if s.id in cb.preserved
        else Check("not_started", Phrase(N_("no copy of the original in the vault")))
    )


def digital_source_assessed(cb: CaseBook, s: RecordView | None) -> Check:
    return _fields(s, ("reliability", "publisher"))


def digital_used(cb: CaseBook, s: RecordView | None) -> Check:
    assert s is not None
    infos = cb.infos_by_source.get(s.id, [])
    unused = Check("not_started", Phrase(N_("not yet linked to any fact")))
    return Check("complete") if infos else unused


def death_sourced(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    sourced = any(f.sources for fs in act.current.values() for f in fs)
    return Check("complete") if sourced else Check("not_started", Phrase(N_("no source cited")))


def name_age_sex(cb: CaseBook, act: RecordView | None) -> Check:
    victim = _victim(cb, act)
    if victim is not None and victim.protection_level != "public":
        return _fields(victim, ("age", "sex"))
    return _fields(victim, ("name", "age", "sex"))


def civilian_status(cb: CaseBook, act: RecordView | None) -> Check:
    status = set(v.values("civilian_status")) if (v := _victim(cb, act)) else set()
    if not status:
        return Check("not_started", Phrase(N_("status not recorded")))
    if status <= PROTECTED or status <= FIGHTING:
        return Check("complete")
    return Check("partial", Phrase(N_("status recorded but disputed or unknown")))


def corroborated(cb: CaseBook, act: RecordView | None) -> Check:
    assert act is not None
    sources = {s for fs in act.current.values() for f in fs for s in f.sources}
    infos = cb.infos_by_event.get(act.refs.get("event") or "", [])
    n = len({i.refs.get("source") for i in infos if i.id in sources} or sources)
    return (
        Check("complete")
        if n >= 2
        else Check("partial" if n else "not_started", Phrase(N_("{n} source(s)"), n=n))
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
