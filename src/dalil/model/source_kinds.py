"""The record kinds of where knowledge comes from: sources, information records,
interviews, and the consent and risk assessments of the people who give them.

An information record is the provenance atom (what one source says about an event or a
person); the consent record and risk assessment are what make it safe to use a person's
account. The kinds of what happened are in :mod:`dalil.model.case_kinds`;
:mod:`dalil.model.catalogue` puts both together. Field names and kinds are part of the
case-document format: add, never rename.
"""

from __future__ import annotations

from dalil.model.kinds import FieldSpec as F
from dalil.model.kinds import KindSpec, kind
from dalil.model.kinds import RefSpec as R

SOURCE_KINDS: tuple[KindSpec, ...] = (
    kind(
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
    kind(
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
    kind(
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
    kind(
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
    kind(
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
