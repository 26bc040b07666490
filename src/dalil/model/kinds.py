"""What a record kind is: its structural links to other records and the facts it carries.

A :class:`KindSpec` names a kind, its :class:`RefSpec` links (foreign keys to records of
the same case, fixed once written) and its :class:`FieldSpec` facts (assertions: typed,
sourced, superseded rather than changed). The kinds themselves are declared in
:mod:`dalil.model.case_kinds` and :mod:`dalil.model.source_kinds` and collected in
:mod:`dalil.model.catalogue`; how a fact value is checked is :mod:`dalil.model.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dalil.errors import InvalidInput

#: The type of a fact: plain text (``text`` up to :data:`dalil.model.facts.
#: SHORT_TEXT_CHARS`, ``longtext`` up to the workspace's limit), a vocabulary ``term``,
#: an ``int``, or one of the structured values of :mod:`dalil.model.values`.
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
    """A record kind: its name (part of the case-document format), the title and help
    shown to people, its structural links and its facts by name."""

    name: str
    title: str
    help: str
    refs: tuple[RefSpec, ...] = ()
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    def field(self, name: str, path: str | None = None) -> FieldSpec:
        """The field called ``name``; :class:`InvalidInput` at ``path`` if there is none."""
        try:
            return self.fields[name]
        except KeyError:
            raise InvalidInput(f"{self.name} has no field {name!r}", path=path) from None


def kind(
    name: str, title: str, help: str, refs: tuple[RefSpec, ...], *fields: FieldSpec
) -> KindSpec:
    """A kind's spec from its fields given one by one (the catalogue's shorthand)."""
    return KindSpec(name, title, help, refs, {f.name: f for f in fields})
