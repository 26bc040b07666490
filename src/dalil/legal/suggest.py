"""Statuses for elements of crimes proposed from the records, for a lawyer to confirm.

Each rule reads the acts of the subject (an incident, a group, a person) and says what the
records show, with the assertions it rests on. A suggestion is never a finding: it is
stored only when a person confirms it (:func:`dalil.legal.assessments.confirm`), under
that person's name and standard of proof. Thresholds here (for example ten killings for a
"mass killing") are prompts for review, not legal tests; the reason text says so. A reason
is a :class:`~dalil.model.words.Phrase`: English, and sayable in Arabic on the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dalil.legal.casebook import CaseBook
from dalil.model.vocabulary import packaged
from dalil.model.words import N_, Phrase, Term
from dalil.records import RecordView, ref_id

KILLING = {
    "summary_execution",
    "extrajudicial_execution",
    "killing_by_non_state_agents",
    "murder",
    "deliberate_killing_non_combatant",
    "massacre",
    "indiscriminate_killing",
    "death_in_detention",
    "death_from_torture",
    "killing",
    "unexplained_killing",
}
PROTECTED = {"civilian", "hors_de_combat", "medical_personnel", "religious_personnel"}
FIGHTING = {"combatant", "direct_participant"}
#: ``state_affiliation`` codes that tie a group to the State (a policy can be the State's)
STATE_TIES = {"integrated", "affiliated", "tolerated"}
RELIGIOUS = {"sect", "religion"}
MASS_KILLING_PROMPT = 10


@dataclass(frozen=True)
class Suggestion:
    rule: str
    status: str
    reason: str
    #: assertion ids the suggestion rests on
    assertions: tuple[str, ...]


def _facts(views: list[RecordView], name: str) -> list[str]:
    return [f.id for v in views for f in v.current.get(name, [])]


def killings(acts: list[RecordView]) -> list[RecordView]:
    return [a for a in acts if a.value("act_type") in KILLING or a.value("status_at_end") == "dead"]


def killed(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    found = killings(acts)
    if not found:
        return None
    return Suggestion(
        "killed",
        "supported",
        Phrase(N_("{n} killing(s) recorded as acts (type or victim dead at end)"), n=len(found)),
        tuple(_facts(found, "act_type") + _facts(found, "status_at_end")),
    )


def civilian_status(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    victims = [cb.by_id[v] for a in acts if (v := a.refs.get("victim")) and v in cb.by_id]
    known = [p for p in victims if p.values("civilian_status")]
    if not known:
        return None
    fighting = [p for p in known if set(p.values("civilian_status")) & FIGHTING]
    protected = [p for p in known if set(p.values("civilian_status")) <= PROTECTED]
    ids = tuple(_facts(known, "civilian_status"))
    if fighting:
        return Suggestion(
            "civilian_status",
            "contested",
            Phrase(
                N_("{n} of {total} victims recorded as taking part in hostilities or disputed"),
                n=len(fighting),
                total=len(known),
            ),
            ids,
        )
    status = "supported" if len(protected) == len(victims) else "insufficient"
    return Suggestion(
        "civilian_status",
        status,
        Phrase(
            N_("{n} of {total} victims recorded as civilians or otherwise protected"),
            n=len(protected),
            total=len(victims),
        ),
        ids,
    )


def status_seen(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    asked = [a for a in acts if a.values("identity_questioned") or a.values("stated_reason")]
    if not asked:
        return None
    return Suggestion(
        "status_seen",
        "supported",
        Phrase(
            N_(
                "in {n} act(s) the perpetrators questioned the victims or stated a reason before "
                "acting: they saw who the victims were"
            ),
            n=len(asked),
        ),
        tuple(_facts(asked, "identity_questioned") + _facts(asked, "stated_reason")),
    )


def _sites(cb: CaseBook, acts: list[RecordView]) -> list[RecordView]:
    ids = {ref_id(a.value("burial_site")) for a in acts if a.value("burial_site")}
    return [cb.by_id[i] for i in sorted(i for i in ids if i and i in cb.by_id)]


def burial_indignity(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    denied = [
        a
        for a in acts
        if a.value("rites_denied") == "yes"
        or a.value("act_type") in ("forced_burial", "denial_of_rites")
    ]
    forced = [
        s
        for s in _sites(cb, acts)
        if s.value("forced_burial") == "yes" or s.value("rites_permitted") == "no"
    ]
    if not denied and not forced:
        return None
    return Suggestion(
        "burial_indignity",
        "supported",
        Phrase(
            N_(
                "rites denied in {n} act(s); {sites} burial site(s) with forced burial or rites "
                "not permitted (dead persons are protected, EoC fn 57)"
            ),
            n=len(denied),
            sites=len(forced),
        ),
        tuple(
            _facts(denied, "rites_denied")
            + _facts(forced, "forced_burial")
            + _facts(forced, "rites_permitted")
        ),
    )


def rites_documented(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    sites = [s for s in _sites(cb, acts) if s.value("religious_requirements")]
    if not sites:
        return None
    return Suggestion(
        "rites_documented",
        "insufficient",
        Phrase(
            N_(
                "the rites not performed are described at {n} site(s); severity judged by the "
                "victims' cultural background needs an expert opinion (X) linked before it is "
                "supported"
            ),
            n=len(sites),
        ),
        tuple(_facts(sites, "religious_requirements")),
    )


def identity_targeting(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    marked = [
        a
        for a in acts
        if a.values("identity_questioned")
        or a.value("act_type") == "identity_targeting"
        or a.values("victim_characteristic")
    ]
    if not marked:
        return None
    asked = sum(1 for a in marked if a.values("identity_questioned"))
    return Suggestion(
        "identity_targeting",
        "supported",
        Phrase(
            N_(
                "{n} of {total} act(s) record targeting for a group identity; in {asked} the "
                "perpetrators asked the victim's identity first"
            ),
            n=len(marked),
            total=len(acts),
            asked=asked,
        ),
        tuple(_facts(marked, "identity_questioned") + _facts(marked, "victim_characteristic")),
    )


def religious_targeting(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    asked = [a for a in acts if set(a.values("identity_questioned")) & RELIGIOUS]
    minority = [a for a in acts if "religious_minority" in a.values("victim_characteristic")]
    if not asked and not minority:
        return None
    return Suggestion(
        "religious_targeting",
        "supported",
        Phrase(
            N_(
                "sect or religion asked in {n} act(s); {minority} victim(s) targeted as members "
                "of a religious minority; compare with the local population share (X) before "
                "relying on the profile"
            ),
            n=len(asked),
            minority=len(minority),
        ),
        tuple(_facts(asked, "identity_questioned") + _facts(minority, "victim_characteristic")),
    )


def mass_killing(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    found = killings(acts)
    if not found:
        return None
    days = sorted({d.earliest for a in found for d in a.values("date") if d.earliest})
    status = "supported" if len(found) >= MASS_KILLING_PROMPT else "insufficient"
    said = (
        Phrase(N_("{n} documented killing(s) over {days} day(s); dalil prompts at {prompt} (not a "
                "legal threshold); see the estimates for the likely total"),
             n=len(found), days=(days[-1] - days[0]).days + 1, prompt=MASS_KILLING_PROMPT)
        if days
        else Phrase(N_("{n} documented killing(s); dalil prompts at {prompt} (not a legal "
                     "threshold); see the estimates for the likely total"),
                  n=len(found), prompt=MASS_KILLING_PROMPT)
    )  # fmt: skip
    return Suggestion(
        "mass_killing",
        status,
        said,
        tuple(_facts(found, "act_type")),
    )


def widespread_pattern(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    """Looks at the whole case: the attack is the course of conduct, not one incident."""
    found = killings(cb.of("act"))
    if not found:
        return None
    events = {a.refs.get("event") for a in found}
    places = {ref_id(a.value("place")) for a in found if a.value("place")}
    method_of = packaged()["method_of_violence"]
    codes = {m for a in found for m in a.values("method")}
    methods = sorted((Term(m, "method_of_violence", method_of.label(m)) for m in codes), key=str)
    status = (
        "supported" if len(events) >= 3 and len(found) >= MASS_KILLING_PROMPT else "insufficient"
    )
    return Suggestion(
        "widespread_pattern",
        status,
        Phrase(
            N_(
                "across the case: {n} killings in {events} incident(s) at {places} place(s), "
                "method(s): {methods}"
            ),
            n=len(found),
            events=len(events),
            places=len(places),
            methods=tuple(methods) or "—",
        ),
        tuple(_facts(found, "act_type")),
    )


def _groups(cb: CaseBook, acts: list[RecordView]) -> list[RecordView]:
    ids = {i.refs.get("organisation") for a in acts for i in cb.involvements_by_act.get(a.id, [])}
    return [cb.by_id[i] for i in sorted(i for i in ids if i and i in cb.by_id)]


def state_link(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    groups = _groups(cb, acts)
    tied = [
        g
        for g in groups
        if any(getattr(a, "status", None) in STATE_TIES for a in g.values("affiliation"))
    ]
    if not tied:
        return None
    disputed = [
        g
        for g in tied
        if "affiliation" in g.disagreements()
        or len({getattr(a, "status", None) for a in g.values("affiliation")}) > 1
    ]
    status = "contested" if disputed else "supported"
    return Suggestion(
        "state_link",
        status,
        Phrase(
            N_(
                "{n} perpetrator group(s) recorded with a tie to the State; {disputed} with "
                "disagreeing accounts of it"
            ),
            n=len(tied),
            disputed=len(disputed),
        )
        if disputed
        else Phrase(N_("{n} perpetrator group(s) recorded with a tie to the State"), n=len(tied)),
        tuple(_facts(tied, "affiliation")),
    )


def command(cb: CaseBook, acts: list[RecordView]) -> Suggestion | None:
    groups = {g.id for g in _groups(cb, acts)}
    found = [c for c in cb.of("command") if c.refs.get("organisation") in groups]
    if not found:
        return None
    return Suggestion(
        "command",
        "insufficient",
        Phrase(
            N_(
                "{n} command position(s) recorded over the groups involved; effective control "
                "needs D/OS/T evidence linked"
            ),
            n=len(found),
        ),
        tuple(_facts(found, "role") + _facts(found, "period")),
    )


RULES: dict[str, Callable[[CaseBook, list[RecordView]], Suggestion | None]] = {
    f.__name__: f
    for f in (
        killed,
        civilian_status,
        status_seen,
        burial_indignity,
        rites_documented,
        identity_targeting,
        religious_targeting,
        mass_killing,
        widespread_pattern,
        state_link,
        command,
    )
}


def suggest(cb: CaseBook, rule: str | None, acts: list[RecordView]) -> Suggestion | None:
    """The rule's suggestion, or None when there is no rule or the records say nothing."""
    if rule is None or rule not in RULES:
        return None
    return RULES[rule](cb, acts)
