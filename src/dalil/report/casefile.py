"""The case file: one document per audience, from the records, the estimates, the legal
analysis and the custody ledger.

Audiences and what they get (consent scopes from ``consent_scope``):

* ``internal`` — the team: everything in the case records (witnesses by pseudonym only:
  identities live in the identity vault and are never read here);
* ``committee`` — the fact-finding committee: the material of witnesses who consented to
  ``state_committee`` only, as :func:`dalil.records.sharing.scoped_document` withholds it;
* ``public`` — the material of witnesses who consented to ``public_anonymised``; no
  names of individual victims or of alleged perpetrators (counts and groups only).

What was withheld is said in the document, in counts and pseudonyms. Counts keep their
qualifiers ("more than 100"), estimates their intervals and assumptions.

Language: ``lang`` ("en" or "ar", the language of the person who asks for it): the
file's headings and fixed sentences, its legal texts (the catalogues' Arabic beside the
English), its codes, fact values and reasons, and its moments and dates ("6 December 2026,
01:18:35 UTC" or "6 كانون الأول 2026، 01:18:35 UTC", always in UTC and saying so); an
Arabic file is right to left. How it is said is :mod:`dalil.report.words`. The signed tree
head's timestamp stays a number of milliseconds in the machine-readable appendix, which is
what ``tools/verify_bundle.py`` checks (:mod:`dalil.report.verification`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from dalil import __version__
from dalil.errors import InvalidInput, NotFound
from dalil.estimate import plots
from dalil.estimate import service as estimates
from dalil.legal import assessments, checklists
from dalil.legal.casebook import CaseBook
from dalil.legal.elements import catalogue
from dalil.legal.suggest import killings
from dalil.linkage.outputs import overlap_table, upset_from_counts
from dalil.model.catalogue import kind_spec
from dalil.model.formats import LOCALES
from dalil.model.tables import Case
from dalil.model.words import N_, Term
from dalil.records import RecordView, ref_id
from dalil.records.overview import describe
from dalil.records.sharing import scoped_document
from dalil.report import charts, evidence_index, words
from dalil.report.verification import APPENDIX_FORMAT, appendix, render_pdf
from dalil.report.words import day, moment, rtl
from dalil.vault import ledger

Audience = Literal["internal", "committee", "public"]
AUDIENCES: dict[str, str | None] = {
    "internal": None,
    "committee": "state_committee",
    "public": "public_anonymised",
}
LANGS = ("en", "ar")
__all__ = ["APPENDIX_FORMAT", "LOCALES", "appendix", "day", "moment", "render_pdf"]
#: estimation methods in words (as the web app's ``estimation_method`` labels name them)
METHODS = {
    "lcmcr": "Latent-class model (LCMCR)",
    "loglinear": "Log-linear models",
    "dga": "Decomposable graphical models (DGA)",
}
#: a commander's name where the audience may not read it
WITHHELD_COMMANDER = N_("alleged commander (name withheld)")
SECTIONS = (
    N_("Summary and methodology"),
    N_("Timeline"),
    N_("Map"),
    N_("Victims: documented and estimated"),
    N_("Incidents"),
    N_("Perpetrator groups and command"),
    N_("Burial sites"),
    N_("Element matrix"),
    N_("Protocol checklists"),
    N_("Evidence index"),
    N_("Verification appendix"),
)


@dataclass
class CaseFile:
    """Everything the template shows, already filtered for the audience."""

    case: Case
    audience: str
    generated: datetime
    sharing: dict[str, Any] | None
    mandate: RecordView | None
    incidents: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    sites: list[RecordView]
    victims: list[dict[str, Any]]
    documented: int
    reported: list[str]
    estimates: list[dict[str, Any]]
    matrices: list[tuple[RecordView, list[assessments.CrimeMatrix]]]
    checklists: list[tuple[checklists.Protocol, list[checklists.ItemStatus]]]
    evidence: list[dict[str, Any]]
    head: ledger.SignedHead | None
    #: the verification appendix as data (see :func:`appendix`), embedded in the HTML
    #: for ``tools/verify_bundle.py``; None without a signed tree head
    appendix: dict[str, Any] | None
    witnesses: list[dict[str, Any]]
    timeline: charts.Timeline
    map: charts.MapPoints
    layers: list[list[str]]
    #: the latest estimate of each method, for the forest plot
    forest: list[plots.ForestRow]
    #: the lists of the latest linkage run and the persons per capture pattern (None
    #: before any linkage run), for the overlap chart
    overlap: tuple[list[str], Counter[tuple[int, ...]]] | None
    lang: str = "en"

    @property
    def names_shown(self) -> bool:
        return self.audience != "public"


def _incident(cb: CaseBook, ev: RecordView) -> dict[str, Any]:
    acts = cb.acts_by_event.get(ev.id, [])
    places = [cb.by_id[i].title for r in ev.values("place") if (i := ref_id(r)) in cb.by_id]
    return {
        "view": ev,
        "places": places,
        "documented": len(killings(acts)),
        "dates": [describe(d) for d in ev.values("date")],
        "casualties": [describe(c) for c in ev.values("casualties")],
        "disputed": sorted(ev.disagreements()),
    }


def _groups(cb: CaseBook, names_shown: bool) -> list[dict[str, Any]]:
    acts_by_group: Counter[str] = Counter()
    for invs in cb.involvements_by_act.values():
        for org in {i.refs.get("organisation") for i in invs}:
            if org:
                acts_by_group[org] += 1
    out = []
    for g in cb.of("organisation"):
        if g.value("org_type") is None and not acts_by_group[g.id]:
            continue  # an NGO or other non-perpetrator organisation
        commands = []
        for c in cb.of("command"):
            if c.refs.get("organisation") == g.id:
                who = cb.by_id.get(c.refs.get("commander") or "")
                shown = who is not None and names_shown
                commands.append(
                    {
                        "name": who.title if who is not None and shown else WITHHELD_COMMANDER,
                        "withheld": not shown,
                        "role": c.value("role") or "",
                        "period": " / ".join(describe(p) for p in c.values("period")),
                    }
                )
        parent = cb.by_id.get(g.refs.get("parent") or "")
        out.append(
            {
                "view": g,
                "names": [str(n) for n in g.values("name")],
                "type": g.value("org_type") or "",
                "parent": parent.title if parent else "",
                "affiliation": [describe(a) for a in g.values("affiliation")],
                "disputed": "affiliation" in g.disagreements(),
                "acts": acts_by_group[g.id],
                "commands": commands,
            }
        )
    return out


def _witnesses(cb: CaseBook) -> list[dict[str, Any]]:
    out = []
    for p in cb.of("person"):
        interviews = cb.linked(p.id, "interview")
        if not interviews and not cb.linked(p.id, "consent_record"):
            continue
        out.append(
            {
                "label": p.label or p.id[:8],
                "summary": [i.value("summary") for i in interviews if i.value("summary")],
            }
        )
    return out


def build(
    session: Session,
    home: Path,
    case_id: str,
    audience: str = "internal",
    say: Callable[[str], None] = lambda _m: None,
    sign: Callable[[], ledger.SignedHead] | None = None,
    unseal: evidence_index.Unseal | None = None,
    lang: str = "en",
) -> CaseFile:
    """Gather the case file for an audience (no I/O beyond the database and ``home/geo``).

    ``sign``: the unlocked vault's ``checkpoint``, called (once, in its own transaction)
    only if no signed tree head yet covers every evidence item listed; see
    :func:`appendix`. ``unseal``: the unlocked vault's ``describe_many`` for this case
    (item ids -> sealed metadata), so the evidence index names each item; without it
    the index says "name sealed" (see :mod:`dalil.report.evidence_index`). ``lang``: the
    reader's language, for dates and times ("en" or "ar")."""
    if audience not in AUDIENCES:
        raise InvalidInput(f"audience must be one of {', '.join(AUDIENCES)}", path="--audience")
    if lang not in LANGS:
        raise InvalidInput(f"language must be one of {', '.join(LANGS)}", path="--lang")
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", path="case")
    say("reading the records")
    cb = CaseBook.load(session, case_id, actor="report")
    sharing = None
    if scope := AUDIENCES[audience]:
        say(f"withholding what witnesses did not consent to share ({scope})")
        doc = scoped_document(session, case_id, scope)
        cb.restrict({r["id"] for r in doc["records"]}, {a["id"] for a in doc["assertions"]})
        sharing = doc["sharing"]
    names_shown = audience != "public"
    tops = cb.top_events()
    incidents = [_incident(cb, e) for e in cb.of("event")]
    killed = killings(cb.of("act"))
    victims = []
    if names_shown:
        for a in killed:
            v = cb.by_id.get(a.refs.get("victim") or "")
            ev = cb.by_id.get(a.refs.get("event") or "")
            if v is not None:
                victims.append(
                    {
                        "name": v.title,
                        "sex": v.value("sex") or "",
                        "age": describe(v.value("age")) if v.value("age") else "",
                        "incident": ev.label if ev else "",
                        "date": " / ".join(describe(d) for d in a.values("date")),
                    }
                )
    say("element matrices")
    cat = catalogue()
    subjects = tops + cb.perpetrator_groups()
    matrices = [(s, assessments.matrix(session, case_id, s.id, cb=cb, cat=cat)) for s in subjects]
    say("protocol checklists")
    lists = [
        (p, checklists.evaluate(session, case_id, p.code, cb=cb)) for p in checklists.protocols()
    ]
    evidence = evidence_index.index(session, cb, audience, unseal)
    head, verification = appendix(session, case_id, evidence, sign, say)
    stored = estimates.stored(session, case_id)
    say("map and timeline")
    return CaseFile(
        case=case,
        audience=audience,
        generated=datetime.now(UTC),
        sharing=sharing,
        mandate=next(iter(cb.of("mandate")), None),
        incidents=incidents,
        groups=_groups(cb, names_shown),
        sites=cb.of("burial_site"),
        victims=victims,
        documented=len(killed),
        reported=[describe(c) for e in tops for c in e.values("casualties")],
        estimates=stored[-3:],
        matrices=matrices,
        checklists=lists,
        evidence=evidence,
        head=head,
        appendix=verification,
        witnesses=_witnesses(cb),
        timeline=charts.timeline(cb.of("event")),
        map=charts.map_points(cb.of("event") + cb.of("burial_site"), cb.by_id.get),
        layers=charts.layers(home),
        forest=plots.forest_rows(stored, lambda code: METHODS.get(code, code)),
        overlap=_overlap(session, case_id),
        lang=lang,
    )


def _overlap(session: Session, case_id: str) -> tuple[list[str], Counter[tuple[int, ...]]] | None:
    """The lists of the latest linkage run and the persons per capture pattern."""
    try:
        tables, _ = estimates.case_tables(session, case_id)
    except NotFound:  # no linkage run yet
        return None
    table = tables["all"]
    return list(table.lists), Counter(table.observed())


_ENV = Environment(
    loader=PackageLoader("dalil.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


_ENV.filters["rtl"] = rtl
_ENV.globals.update(
    describe=describe,
    SECTIONS=SECTIONS,
    version=__version__,
    fingerprint=ledger.fingerprint,
    methods=METHODS,
)


def fact(view: RecordView, name: str, value: Any) -> str:
    """A fact value of a record as words the file says in its language: a code of the
    field's vocabulary as a :class:`~dalil.model.words.Term` (its label in Arabic; in
    English the code, as :func:`describe` writes it), anything else as :func:`describe`
    writes it (a log entry's kind through the field's vocabulary)."""
    spec = kind_spec(view.kind).fields.get(name)
    vocabulary = spec.vocabulary if spec is not None else None
    if spec is not None and spec.type == "term" and vocabulary and isinstance(value, str):
        return Term(value, vocabulary)
    return describe(value, vocabulary)


def render_html(cf: CaseFile) -> str:
    css = (resources.files("dalil.report") / "templates" / "casefile.css").read_text("utf-8")
    return _ENV.get_template("casefile.html").render(
        cf=cf, css=css, cat=catalogue(), W=charts.W, H=charts.H,
        moment=lambda v: moment(v, cf.lang), day=lambda v: day(v, cf.lang),
        fact=fact, **_charts(cf), **words.helpers(cf.lang),
    )  # fmt: skip


def _charts(cf: CaseFile) -> dict[str, Any]:
    """The victims section's charts as SVG, with the numbers of their text alternatives.
    Their words stay English in the Arabic file too, drawn left to right: WeasyPrint's SVG
    neither joins Arabic letters nor orders them right to left (tried: the axis titles came
    out as separate letters in reverse), and the captions and tables beside each chart say
    the same in the file's language. Numbers as the file's language writes them."""
    out: dict[str, Any] = {"forest": None, "overlap": None}
    if cf.forest:
        out["forest"] = Markup(plots.forest_svg(cf.forest, locale=cf.lang, ident="cf-forest"))
    if cf.overlap is not None:
        lists, counts = cf.overlap
        combos, sizes = overlap_table(lists, counts)
        svg = upset_from_counts(lists, counts, locale=cf.lang, ident="cf-overlap")
        out["overlap"] = {"svg": Markup(svg), "rows": combos, "sizes": sizes}
    return out
