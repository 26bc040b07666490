"""Domain model: tables, the catalogue of kinds and facts, typed values, vocabularies.

Also the one declared list of every package's table modules (:mod:`dalil.model.registry`),
which the workspace, the migrations and backup load, and the migrations themselves.

Owns: the shared tables of cases, records and assertions (:mod:`~dalil.model.tables`), the
catalogue of kinds and facts, typed values, vocabularies, ids and the case look-up
(:mod:`~dalil.model.keys`), the registry of table modules, the migrations.

May use: ``errors`` and ``config`` only: every other package builds on it.
"""

from dalil.model.catalogue import KINDS, FieldSpec, KindSpec, RefSpec, kind_spec
from dalil.model.tables import (
    RECORD_CLASSES,
    Assertion,
    Base,
    Case,
    GazetteerName,
    GazetteerPlace,
    Record,
    VocabularyTerm,
)
from dalil.model.values import (
    Affiliation,
    Age,
    LogEntry,
    PersonName,
    Ref,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
)
from dalil.model.vocabulary import Term, Vocabularies, Vocabulary

__all__ = [
    "KINDS",
    "RECORD_CLASSES",
    "Affiliation",
    "Age",
    "Assertion",
    "Base",
    "Case",
    "FieldSpec",
    "GazetteerName",
    "GazetteerPlace",
    "KindSpec",
    "LogEntry",
    "PersonName",
    "Record",
    "Ref",
    "RefSpec",
    "Term",
    "UncertainCount",
    "UncertainDate",
    "UncertainPlace",
    "Vocabularies",
    "Vocabulary",
    "VocabularyTerm",
    "kind_spec",
]
