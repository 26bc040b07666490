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

Language: the file's text is English; ``lang`` ("en" or "ar", the language of the person
who asks for it) decides how its moments and dates are written (Babel, in the web pages'
locales :data:`LOCALES`: "6 December 2026, 01:18:35 UTC" or "6 كانون الأول 2026، 01:18:35
UTC"), always in UTC and saying so. The signed
tree head's timestamp stays a number of milliseconds in the machine-readable appendix,
which is what ``tools/verify_bundle.py`` checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date, format_time, get_datetime_format
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from dalil import __version__
from dalil.errors import InvalidInput, NotFound
from dalil.estimate import plots
from dalil.estimate import service as estimates
from dalil.extract.document import language
from dalil.legal import assessments, checklists
from dalil.legal.casebook import CaseBook
from dalil.legal.elements import catalogue
from dalil.legal.suggest import killings
from dalil.legal.wording import as_html
from dalil.linkage.outputs import overlap_table, upset_from_counts
from dalil.model.tables import Case
from dalil.model.vocabulary import packaged
from dalil.model.words import N_, Phrase, Term, translations
from dalil.records import RecordView, ref_id
from dalil.records.overview import describe
from dalil.records.sharing import scoped_document
from dalil.report import charts, evidence_index
from dalil.report.verification import APPENDIX_FORMAT, appendix, render_pdf
from dalil.vault import ledger

Audience = Literal["internal", "committee", "public"]
AUDIENCES: dict[str, str | None] = {
    "internal": None,
    "committee": "state_committee",
    "public": "public_anonymised",
}
LANGS = ("en", "ar")
#: the Babel locale of each language, as the web pages write dates (:mod:`dalil.web.i18n`:
#: Arabic is ``ar_SY``, the Levantine month names, with Latin digits)
LOCALES = {"en": "en_GB", "ar": "ar_SY"}
__all__ = ["APPENDIX_FORMAT", "appendix", "render_pdf"]
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


def moment(value: datetime | int | str | None, lang: str = "en") -> Markup:
    """A moment for people, in UTC and saying so: ``<time>`` with the ISO value, the date
    written out and the time to the second in ``lang`` (Babel's long date, the locale's
    way of joining date and time, :data:`LOCALES`), e.g. "6 December 2026, 01:18:35 UTC" or
    "6 كانون الأول 2026، 01:18:35 UTC". An int is
    milliseconds since 1970-01-01 UTC (a signed tree head's timestamp); a naive datetime
    or ISO text is UTC, as dalil stores every moment."""
    if value is None or value == "":
        return Markup("")
    if isinstance(value, int):
        value = datetime.fromtimestamp(value / 1000, UTC)
    elif isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    utc = value.astimezone(UTC)
    locale = LOCALES.get(lang, "en_GB")
    joined = str(get_datetime_format("long", locale=locale)).replace("'", "")
    text = joined.format(
        format_time(utc, "HH:mm:ss", tzinfo=UTC, locale=locale),
        format_date(utc, "long", locale=locale),
    )
    return _time_tag(utc.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{text} UTC", lang)


def day(value: date | str | None, lang: str = "en") -> Markup:
    """A calendar date for people (Babel's long date in ``lang``); an ISO text as it is
    when it is not a whole date (a year or a month alone)."""
    if value is None or value == "":
        return Markup("")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return Markup("<bdi>{}</bdi>").format(value)
    text = str(format_date(value, "long", locale=LOCALES.get(lang, "en_GB")))
    return _time_tag(value.isoformat(), text, lang)


def _time_tag(iso: str, text: str, lang: str) -> Markup:
    """``<time>`` isolated in its own direction (an Arabic date inside English text)."""
    if lang == "ar":
        return Markup('<time datetime="{}" lang="ar" dir="rtl">{}</time>').format(iso, text)
    return Markup('<time datetime="{}">{}</time>').format(iso, text)


_ENV = Environment(
    loader=PackageLoader("dalil.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _rtl(text: object) -> bool:
    """Whether a text is Arabic (shown right to left): the extractor's script test."""
    return language(str(text)) == "ar"


_ENV.filters["rtl"] = _rtl
_ENV.globals.update(
    describe=describe,
    SECTIONS=SECTIONS,
    version=__version__,
    fingerprint=ledger.fingerprint,
    methods=METHODS,
)


def render_html(cf: CaseFile) -> str:
    css = (resources.files("dalil.report") / "templates" / "casefile.css").read_text("utf-8")
    return _ENV.get_template("casefile.html").render(
        cf=cf, css=css, cat=catalogue(), W=charts.W, H=charts.H,
        moment=lambda v: moment(v, cf.lang), day=lambda v: day(v, cf.lang),
        **_charts(cf), **_words(cf.lang),
    )  # fmt: skip


def _txt(value: object) -> Markup:
    """A record's text: an Arabic one marked right to left (in either language)."""
    if _rtl(value):
        return Markup('<span dir="rtl" lang="ar">{}</span>').format(value)
    return escape(value)


def _words(lang: str) -> dict[str, Any]:
    """The template's words in ``lang``: ``t`` translates an interface string from the
    web's Arabic catalogues (:func:`dalil.model.words.translations`, English as it is);
    ``term`` says a code by its label; ``said`` says a library phrase (a fact value, a
    reason) again in the language, its values isolated; ``data`` isolates a value put into
    an Arabic sentence. The English file is written as it always was (values bare, codes
    in words), so every helper is the identity on English text."""
    ar = lang == "ar"
    table = translations("ar") if ar else {}

    def t(text: str) -> str:
        return table.get(text, text)

    def data(value: object) -> Markup:
        if not ar:
            return escape(value)
        if _rtl(value):
            return _txt(value)
        return Markup('<bdi dir="auto">{}</bdi>').format(value)

    def term(code: str | None, vocabulary: str = "") -> str:
        if not code:
            return ""
        if not ar:
            return code.replace("_", " ")
        found = packaged().get(vocabulary)
        if found is not None and code in found:
            return found.label(code, lang)
        words = code.replace("_", " ")
        return table.get(words[:1].upper() + words[1:]) or table.get(words) or words

    def said(value: object) -> Markup:
        if not ar:
            return _txt(value)
        if isinstance(value, (Phrase, Term)):
            return as_html(value, t, lang)
        return data(value)

    def said_all(values: list[Any], between: str) -> Markup:
        return Markup(between).join(said(v) for v in values)

    return {
        "t": t, "ar": ar, "txt": _txt, "data": data, "term": term, "said": said,
        "said_all": said_all, "comma": "، " if ar else ", ", "Markup": Markup,
        "joined": lambda names: Markup(" + ").join(_txt(n) for n in names),
        "bold": lambda v: Markup("<b>{}</b>").format(data(v)),
        "code": lambda v: Markup("<code>{}</code>").format(v),
        "suggested": lambda v: Markup('<span class="suggested">{}</span>').format(v),
    }  # fmt: skip


def _charts(cf: CaseFile) -> dict[str, Any]:
    """The victims section's charts as SVG, with the numbers of their text alternatives.
    Their words are English like the rest of the file, drawn left to right (WeasyPrint's
    SVG does not lay out right-to-left text); numbers as the file's language writes them."""
    out: dict[str, Any] = {"forest": None, "overlap": None}
    if cf.forest:
        out["forest"] = Markup(plots.forest_svg(cf.forest, locale=cf.lang, ident="cf-forest"))
    if cf.overlap is not None:
        lists, counts = cf.overlap
        combos, sizes = overlap_table(lists, counts)
        svg = upset_from_counts(lists, counts, locale=cf.lang, ident="cf-overlap")
        out["overlap"] = {"svg": Markup(svg), "rows": combos, "sizes": sizes}
    return out
