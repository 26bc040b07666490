"""The catalogue of record kinds and the facts each kind can carry.

dalil keeps two things apart, as HURIDOCS does:

* the *structure* of a case: which records exist and how they are linked (an act belongs
  to an event and has a victim; an involvement links a perpetrator to an act). These are
  rows with foreign keys (:mod:`dalil.model.tables`) and never change once written;
* the *facts* about those records: a victim's age, an act's date, a site's estimated
  number of bodies. Facts are assertions (:class:`dalil.model.tables.Assertion`): each one
  a typed value with its sources, its confidence, who assessed it and when. A correction
  appends an assertion that supersedes the old one; disagreeing assertions stand side by
  side.

This module is the single place that says which facts a kind has and what type each
takes. Field names and kinds are part of the case-document format: add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from dalil.errors import InvalidInput, json_path
from dalil.model import values as v
from dalil.model.vocabulary import Vocabularies

FieldType = Literal[
    "text",
    "longtext",
    "term",
    "int",
    "date",
    "place",
    "count",
    "age",
    "name",
    "affiliation",
    "log",
    "ref",
]

_STRUCTURED: dict[str, type[v.Value]] = {
    "date": v.UncertainDate,
    "place": v.UncertainPlace,
    "count": v.UncertainCount,
    "age": v.Age,
    "name": v.PersonName,
    "affiliation": v.Affiliation,
    "log": v.LogEntry,
    "ref": v.Ref,
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(t) for k, t in _STRUCTURED.items()}
_INT = TypeAdapter(int)

SHORT_TEXT_CHARS = 2_000


@dataclass(frozen=True)
class FieldSpec:
    """One fact a record kind can carry.

    ``multi`` fields hold several current values at once (a person's names in several
    scripts, an act's methods); for single fields, several current values are a
    *disagreement* and are shown side by side. ``identity`` marks values that identify a
    person: refused in plaintext records for protected persons (they belong in the
    identity vault).
    """

    name: str
    type: FieldType
    help: str
    vocabulary: str | None = None
    ref_kind: str | None = None
    multi: bool = False
    required: bool = False
    identity: bool = False


@dataclass(frozen=True)
class RefSpec:
    """A structural link from a record to another record of the same case."""

    name: str
    kind: str
    required: bool = False

    @property
    def column(self) -> str:
        return f"{self.name}_id"


@dataclass(frozen=True)
class KindSpec:
    name: str
    title: str
    help: str
    refs: tuple[RefSpec, ...] = ()
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    def field(self, name: str, path: str | None = None) -> FieldSpec:
        try:
            return self.fields[name]
        except KeyError:
            raise InvalidInput(f"{self.name} has no field {name!r}", path=path) from None


def _kind(
    name: str, title: str, help: str, refs: tuple[RefSpec, ...], *fields: FieldSpec
) -> KindSpec:
    return KindSpec(name, title, help, refs, {f.name: f for f in fields})


F = FieldSpec
R = RefSpec

KINDS: dict[str, KindSpec] = {
    k.name: k
    for k in (
        _kind(
            "mandate",
            "Mandate and methodology",
            "What the investigation was asked to do and how it works (one per case).",
            (),
            F("requested_by", "text", "Who asked for the investigation."),
            F("scope", "longtext", "Scope in time, place and persons."),
            F(
                "legal_framework",
                "text",
                "A legal framework applied (IHRL, IHL, ICL, domestic).",
                multi=True,
            ),
            F(
                "methodology",
                "longtext",
                "Sources used, collection, evaluation, corroboration, quality control.",
            ),
            F("inclusion_criteria", "longtext", "Who is counted as a victim of this case."),
            F("exclusion_criteria", "longtext", "Who is not, and why."),
            F(
                "standard_of_proof",
                "term",
                "Standard of proof used for findings.",
                vocabulary="finding_strength",
            ),
        ),
        _kind(
            "event",
            "Event",
            "An incident, or an umbrella episode that encompasses incidents.",
            (),
            F("title", "text", "Short title.", required=True),
            F("description", "longtext", "What happened."),
            F("date", "date", "When (an interval when not exact)."),
            F("place", "ref", "Where.", ref_kind="place", multi=True),
            F(
                "violation_status",
                "term",
                "HURIDOCS violation status.",
                vocabulary="violation_status",
            ),
            F(
                "casualties",
                "count",
                "A count of casualties: reported, documented, ... side by side.",
                multi=True,
            ),
        ),
        _kind(
            "event_relation",
            "Relation between events",
            "A typed link between two events (HURIDOCS chain of events).",
            (R("from_event", "event", True), R("to_event", "event", True)),
            F(
                "relation",
                "term",
                "How the first event relates to the second.",
                vocabulary="chain_of_events",
                required=True,
            ),
        ),
        _kind(
            "place",
            "Place",
            "A place named in the case, tied to the gazetteer where possible.",
            (),
            F("name", "text", "A name of the place, in any script.", multi=True, required=True),
            F("location", "place", "Coordinates, administrative units and precision."),
        ),
        _kind(
            "person",
            "Person",
            "A victim, witness, source, perpetrator or relative; roles come from links.",
            (),
            F("name", "name", "A name in one script and spelling.", multi=True, identity=True),
            F("sex", "term", "Sex.", vocabulary="sex"),
            F("age", "age", "Age at the time of the incident."),
            F("birth_date", "date", "Date of birth."),
            F("civilian_status", "term", "Status in the conflict.", vocabulary="civilian_status"),
            F("counting_unit", "term", "What one record stands for.", vocabulary="counting_unit"),
            F("number_in_group", "count", "How many people a group record stands for."),
            F("religion", "text", "Religion or sect (local terms welcome)."),
            F("occupation", "text", "Occupation."),
            F("deceased", "term", "Whether the person is dead.", vocabulary="tristate"),
            F("date_of_death", "date", "Date of death."),
            F(
                "characteristic",
                "term",
                "Victim characteristics.",
                vocabulary="victim_characteristic",
                multi=True,
            ),
            F(
                "reliability_as_source",
                "term",
                "Reliability when acting as a source.",
                vocabulary="reliability",
            ),
            F("description", "longtext", "Notes."),
        ),
        _kind(
            "organisation",
            "Organisation or armed group",
            "A perpetrator group, unit, NGO or authority.",
            (R("parent", "organisation"),),
            F("name", "text", "A name or alias.", multi=True, required=True),
            F("org_type", "term", "Type of perpetrator.", vocabulary="perpetrator_type"),
            F("affiliation", "affiliation", "Affiliation to the state over a period.", multi=True),
            F("area_of_operations", "text", "Where it operates."),
            F("insignia", "longtext", "Insignia and uniform notes."),
            F("description", "longtext", "Notes."),
        ),
        _kind(
            "command",
            "Command position",
            "A person's command over an organisation during a period.",
            (R("organisation", "organisation", True), R("commander", "person", True)),
            F("role", "text", "Rank or title."),
            F("period", "date", "When the person held command."),
        ),
        _kind(
            "act",
            "Act",
            "One thing done to one victim (or to a group counted as a unit).",
            (R("event", "event", True), R("victim", "person")),
            F("act_type", "term", "Type of act.", vocabulary="act_type"),
            F("method", "term", "Method of violence.", vocabulary="method_of_violence", multi=True),
            F("date", "date", "When."),
            F("place", "ref", "Where.", ref_kind="place"),
            F("location_type", "term", "Type of location.", vocabulary="location_type"),
            F("stated_reason", "longtext", "What the perpetrators said was the reason."),
            F(
                "identity_questioned",
                "term",
                "What the perpetrators asked about the victim's identity.",
                vocabulary="identity_question",
                multi=True,
            ),
            F(
                "victim_characteristic",
                "term",
                "Characteristics for which the victim was targeted.",
                vocabulary="victim_characteristic",
                multi=True,
            ),
            F(
                "status_at_end",
                "term",
                "Victim's status at the end of the act.",
                vocabulary="status_at_end",
            ),
            F(
                "attribution",
                "term",
                "Official or non-state response.",
                vocabulary="attribution",
                multi=True,
            ),
            F("autopsy", "term", "Autopsy.", vocabulary="autopsy"),
            F("death_certificate", "term", "Death certificate.", vocabulary="death_certificate"),
            F("burial_site", "ref", "Where the body was buried.", ref_kind="burial_site"),
            F("rites_denied", "term", "Whether funeral rites were denied.", vocabulary="tristate"),
            F("victims", "count", "Number of victims when the act concerns a group."),
            F("description", "longtext", "Notes."),
        ),
        _kind(
            "involvement",
            "Involvement",
            "A perpetrator's (person or organisation) part in an act.",
            (R("act", "act", True), R("person", "person"), R("organisation", "organisation")),
            F("degree", "term", "Degree of involvement.", vocabulary="degree_of_involvement"),
            F("perpetrator_type", "term", "Type of perpetrator.", vocabulary="perpetrator_type"),
            F(
                "liability_hypothesis",
                "text",
                "Mode of liability considered (Rome Statute 25(3), 28).",
            ),
            F("status_as_perpetrator", "text", "Latest status (still in post, charged, ...)."),
        ),
        _kind(
            "burial_site",
            "Burial site",
            "A mass grave or informal burial (Bournemouth Protocol fields).",
            (),
            F("name", "text", "Name or working label."),
            F("site_kind", "term", "Kind of site.", vocabulary="burial_site_kind", multi=True),
            F("place", "ref", "Where.", ref_kind="place"),
            F("extent", "longtext", "Extent (polygon as WKT or a description)."),
            F("report_date", "date", "When the site was reported."),
            F("report_channel", "text", "How it was reported."),
            F(
                "verification_status",
                "term",
                "Verification status.",
                vocabulary="burial_verification_status",
            ),
            F(
                "verification_basis",
                "term",
                "Basis of verification.",
                vocabulary="burial_verification_basis",
                multi=True,
            ),
            F("estimated_individuals", "count", "Estimated number of individuals buried."),
            F(
                "forced_burial",
                "term",
                "Were families forced to bury their dead here?",
                vocabulary="tristate",
            ),
            F("rites_permitted", "term", "Were funeral rites permitted?", vocabulary="tristate"),
            F(
                "identified_before_burial",
                "term",
                "Were bodies identified or tagged before burial?",
                vocabulary="tristate",
            ),
            F("circumstances", "longtext", "Who dug, who ordered, what families were told."),
            F("custodian", "text", "Custodian authority."),
            F("legal_order", "log", "A protection, search or exhumation order.", multi=True),
            F(
                "protection_measure",
                "log",
                "A protection measure in place.",
                vocabulary="protection_measure",
                multi=True,
            ),
            F("access_log", "log", "A visit or access to the site.", multi=True),
            F(
                "disturbance",
                "log",
                "A disturbance: looting, reburial, construction, ...",
                vocabulary="disturbance_kind",
                multi=True,
            ),
            F("families_informed", "term", "Have families been informed?", vocabulary="tristate"),
            F(
                "religious_requirements",
                "longtext",
                "Religious and cultural requirements, rites not performed.",
            ),
            F(
                "investigation_status",
                "term",
                "Investigation status.",
                vocabulary="burial_investigation_status",
            ),
        ),
        _kind(
            "source",
            "Source",
            "Where information comes from: a document, a report, a person or an organisation.",
            (R("person", "person"), R("organisation", "organisation")),
            F("title", "text", "Title or description.", required=True),
            F(
                "material_type",
                "term",
                "Type of source material.",
                vocabulary="source_material_type",
            ),
            F("publisher", "text", "Author or publisher."),
            F("date", "date", "Date of the source."),
            F("language", "text", "Language (ISO 639-1 code, e.g. ar, en)."),
            F("url", "text", "Address where it was found."),
            F("reliability", "term", "Reliability of the source.", vocabulary="reliability"),
        ),
        _kind(
            "information_record",
            "Information record",
            "What one source says about an event or person: the provenance atom.",
            (R("source", "source", True), R("event", "event"), R("person", "person")),
            F(
                "connection",
                "term",
                "Source's connection to the information.",
                vocabulary="source_connection",
            ),
            F("access", "term", "Direct knowledge or hearsay.", vocabulary="access_mode"),
            F("date_of_information", "date", "When the account was given."),
            F("language", "text", "Language of the account."),
            F("reliability", "term", "Reliability of this information.", vocabulary="reliability"),
            F("locator", "text", "Page, paragraph, timestamp within the source."),
            F("excerpt", "longtext", "The passage relied on."),
            F("contemporaneity", "text", "How long after the event the account was produced."),
        ),
        _kind(
            "interview",
            "Interview",
            "An interview with a pseudonymous interviewee.",
            (R("interviewee", "person", True),),
            F("date", "date", "When."),
            F("place_type", "text", "Kind of place (never an exact address)."),
            F("interviewer", "text", "An interviewer (staff name or code).", multi=True),
            F("language", "text", "Language."),
            F("mode", "term", "Mode.", vocabulary="interview_mode"),
            F(
                "vulnerability",
                "term",
                "Vulnerability flags.",
                vocabulary="vulnerability_flag",
                multi=True,
            ),
            F("referral", "text", "A referral offered.", multi=True),
            F(
                "prior_interviews",
                "longtext",
                "Earlier interviews known, to avoid re-interviewing.",
            ),
            F("summary", "longtext", "Summary of the account (substance only, no identities)."),
        ),
        _kind(
            "consent_record",
            "Consent record",
            "What a person agreed to, and any withdrawal.",
            (R("person", "person", True),),
            F("date", "date", "When consent was given."),
            F("obtained_by", "text", "Who obtained it."),
            F("language", "text", "Language used."),
            F(
                "explained",
                "term",
                "What was explained.",
                vocabulary="consent_explained",
                multi=True,
            ),
            F(
                "scope",
                "term",
                "What the person agreed to.",
                vocabulary="consent_scope",
                multi=True,
            ),
            F("conditions", "longtext", "Conditions attached."),
            F("guardian", "text", "Guardian (for a child or a person lacking capacity)."),
            F("withdrawn", "date", "When consent was withdrawn."),
            F("evidence", "text", "Signature or recording reference, or why oral only."),
        ),
        _kind(
            "risk_assessment",
            "Risk assessment",
            "Risk to a cooperating person, and measures.",
            (R("person", "person", True),),
            F("date", "date", "When assessed."),
            F("assessor", "text", "Who assessed."),
            F("threat_source", "text", "A source of threat.", multi=True),
            F("likelihood", "term", "Likelihood.", vocabulary="risk_level"),
            F("impact", "term", "Impact.", vocabulary="risk_level"),
            F("vulnerabilities", "longtext", "Vulnerabilities."),
            F("capacities", "longtext", "Capacities."),
            F("risk_level", "term", "Overall risk level.", vocabulary="risk_level"),
            F(
                "measure",
                "term",
                "A protection measure.",
                vocabulary="protection_measure",
                multi=True,
            ),
            F("next_review_due", "date", "When the assessment must be reviewed."),
            F(
                "benefit_justifies_risk",
                "term",
                "Does the expected benefit justify the risk?",
                vocabulary="tristate",
            ),
        ),
    )
}


def kind_spec(kind: str, path: str | None = None) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise InvalidInput(f"unknown record kind {kind!r}", path=path) from None


def _check_terms(value: v.Value, spec: FieldSpec, vocabs: Vocabularies, path: str) -> None:
    """Check every vocabulary code inside a structured value."""
    if isinstance(value, v.UncertainDate):
        vocabs.check("date_precision", value.precision, f"{path}.precision")
        if value.date_type:
            vocabs.check("date_type", value.date_type, f"{path}.date_type")
    elif isinstance(value, v.UncertainCount):
        vocabs.check("count_kind", value.count_kind, f"{path}.count_kind")
        vocabs.check("count_subject", value.what, f"{path}.what")
        vocabs.check("count_population", value.population, f"{path}.population")
    elif isinstance(value, v.Age) and value.category:
        vocabs.check("age_category", value.category, f"{path}.category")
    elif isinstance(value, v.Affiliation):
        vocabs.check("state_affiliation", value.status, f"{path}.status")
        if value.period:
            _check_terms(value.period, spec, vocabs, f"{path}.period")
    elif isinstance(value, v.LogEntry):
        if value.kind is not None:
            if spec.vocabulary is None:
                raise InvalidInput("this log takes no kind", path=f"{path}.kind")
            vocabs.check(spec.vocabulary, value.kind, f"{path}.kind")
        if value.date:
            _check_terms(value.date, spec, vocabs, f"{path}.date")
    elif isinstance(value, v.Ref) and value.kind != spec.ref_kind:
        raise InvalidInput(
            f"must refer to a {spec.ref_kind}, not a {value.kind}", path=f"{path}.kind"
        )


def _pydantic_message(err: ValidationError, path: str) -> InvalidInput:
    first = err.errors()[0]
    return InvalidInput(first["msg"], path=json_path(first["loc"], root=path))


def normalise(
    spec: FieldSpec, value: Any, vocabs: Vocabularies, *, path: str, max_chars: int
) -> Any:
    """Validate a fact value of any accepted form and return its JSON form.

    Accepts the typed objects of :mod:`dalil.model.values` or their JSON dicts. Raises
    :class:`InvalidInput` naming ``path`` (and the sub-field) on any problem. The JSON form
    is what the database stores and what case documents carry.
    """
    if spec.type in ("text", "longtext"):
        limit = SHORT_TEXT_CHARS if spec.type == "text" else max_chars
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("expected non-empty text", path=path)
        if len(value) > limit:
            raise InvalidInput(
                f"text of {len(value)} characters exceeds the limit of {limit}", path=path
            )
        return value
    if spec.type == "term":
        if not isinstance(value, str):
            raise InvalidInput("expected a vocabulary code", path=path)
        assert spec.vocabulary is not None
        vocabs.check(spec.vocabulary, value, path)
        return value
    if spec.type == "int":
        if isinstance(value, bool):
            raise InvalidInput("expected an integer", path=path)
        try:
            return _INT.validate_python(value, strict=True)
        except ValidationError as err:
            raise _pydantic_message(err, path) from None
    model = _STRUCTURED[spec.type]
    try:
        obj = value if isinstance(value, model) else _ADAPTERS[spec.type].validate_python(value)
    except ValidationError as err:
        raise _pydantic_message(err, path) from None
    _check_terms(obj, spec, vocabs, path)
    return obj.model_dump(mode="json", exclude_none=True)


def typed(spec: FieldSpec, stored: Any) -> Any:
    """The typed Python value of a stored JSON fact value (inverse of :func:`normalise`)."""
    if stored is None or spec.type in ("text", "longtext", "term", "int"):
        return stored
    return _ADAPTERS[spec.type].validate_python(stored)
