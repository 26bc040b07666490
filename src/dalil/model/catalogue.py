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

This module is the single place that says which kinds there are (:data:`KINDS`), put
together from the kinds of what happened (:mod:`dalil.model.case_kinds`) and of where it
is known from (:mod:`dalil.model.source_kinds`). What a kind and a field are is
:mod:`dalil.model.kinds`; how a fact value is checked and read back is
:mod:`dalil.model.facts`. All their public names are importable from here. Field names and
kinds are part of the case-document format: add, never rename.
"""

from __future__ import annotations

from dalil.errors import InvalidInput
from dalil.model.case_kinds import CASE_KINDS
from dalil.model.facts import SHORT_TEXT_CHARS as SHORT_TEXT_CHARS
from dalil.model.facts import normalise as normalise
from dalil.model.facts import typed as typed
from dalil.model.kinds import FieldSpec as FieldSpec
from dalil.model.kinds import FieldType as FieldType
from dalil.model.kinds import KindSpec as KindSpec
from dalil.model.kinds import RefSpec as RefSpec
from dalil.model.source_kinds import SOURCE_KINDS

#: Every record kind by name, in the order forms and case documents list them.
KINDS: dict[str, KindSpec] = {k.name: k for k in (*CASE_KINDS, *SOURCE_KINDS)}


def kind_spec(kind: str, path: str | None = None) -> KindSpec:
    """The kind called ``kind``; :class:`InvalidInput` at ``path`` if there is none."""
    try:
        return KINDS[kind]
    except KeyError:
        raise InvalidInput(f"unknown record kind {kind!r}", path=path) from None
