"""Domain model: tables, the catalogue of kinds and facts, typed values, vocabularies."""

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
