"""The records of a case, and everything read or written through them.

Owns: the typed, sourced records and assertions of a case (:mod:`~dalil.records.book`:
:class:`Records`, corrections that supersede, witness safety; what a read hands out,
:mod:`~dalil.records.views`; pseudonymous labels, :mod:`~dalil.records.labels`; terms
added to the vocabularies, :mod:`~dalil.records.terms`), cases themselves
(:mod:`~dalil.records.cases`), the case overview and its cache
(:mod:`~dalil.records.overview`, :mod:`~dalil.records.case_cache`), the person search
index (:mod:`~dalil.records.person_search`), the case document
(:mod:`~dalil.records.case_document`) and its export and import
(:mod:`~dalil.records.exchange`), consent-scoped sharing of it
(:mod:`~dalil.records.sharing`) and facts proposed from reports until a person decides on
them (:mod:`~dalil.records.suggestions`).

May use: :mod:`dalil.model`, :mod:`dalil.errors`, :mod:`dalil.places`, the public API of
:mod:`dalil.vault`, :mod:`dalil.extract` (suggestions), :mod:`dalil.places.names` (the
search index's name keys) and :mod:`dalil.access.audit` (sharing). Never the web app or
the CLI. ``docs/architecture.md`` has the whole table.

This module re-exports the record book and the values it hands out only; import the other
modules by name (``from dalil.records import cases``).
"""

from dalil.model.keys import new_id
from dalil.records.book import DEFAULT_CONFIDENCE, PROTECTION_LEVELS, Records
from dalil.records.terms import add_term
from dalil.records.views import Fact, RecordView, ref, ref_id

__all__ = [
    "DEFAULT_CONFIDENCE",
    "PROTECTION_LEVELS",
    "Fact",
    "RecordView",
    "Records",
    "add_term",
    "new_id",
    "ref",
    "ref_id",
]
