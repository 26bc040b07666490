"""What a record's page shows, as data: the record, the records it names (:class:`Link`),
and the parts of a person's, an incident's or another record's page. Gathered by
:mod:`dalil.records.dossier`; shown by the web's record pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dalil.model.values import UncertainPlace
from dalil.model.words import Phrase, Term
from dalil.records.dossier_map import MapPoint
from dalil.records.views import Fact, RecordView


@dataclass(frozen=True)
class Link:
    """Another record as a page names it: its title (a protected person's pseudonym)."""

    id: str
    kind: str
    title: str
    label: str | None


def link_of(view: RecordView) -> Link:
    """How ``view`` is named on a page; a person who is not public by label only."""
    hidden = view.kind == "person" and view.protection_level not in (None, "public")
    title = (view.label or "—") if hidden else title_of(view)
    return Link(view.id, view.kind, title, view.label)


def title_of(view: RecordView) -> str:
    """:attr:`RecordView.title`; for a record with no title, name or label (an act, an
    involvement), its kind and short id as a :class:`~dalil.model.words.Phrase`, so
    that a page names the kind in its language."""
    if view.label or view.current.get("title") or view.current.get("name"):
        return view.title
    return Phrase("{kind} {id}", kind=Term(view.kind), id=view.id[:8])


@dataclass
class Page:
    """What every record page shows: the record, the records its facts refer to (so a
    place is shown by name, never ``place f6410810``), how each cited information record
    is cited, and its disagreements."""

    view: RecordView
    names: dict[str, Link]
    citations: dict[str, str]
    disputed: dict[str, list[Fact]]


@dataclass(frozen=True)
class Perpetrator:
    """A perpetrator's part in one act: who the involvement names and its degrees of
    involvement (``degree_of_involvement`` codes)."""

    who: Link
    degrees: tuple[str, ...]
    act_id: str


@dataclass
class ActLine:
    """One act with its incident, its victim and its perpetrators."""

    act: RecordView
    event: Link | None
    victim: Link | None
    perpetrators: list[Perpetrator] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """A link between two incidents: ``direction`` is "from" when this incident is the
    relation's first event (e.g. this one is part of ``other``), "to" otherwise."""

    relation: RecordView
    direction: str
    other: Link


@dataclass(frozen=True)
class Group:
    """A perpetrator named in an incident's involvements, with its degrees of
    involvement (vocabulary codes) and in how many of the incident's acts."""

    who: Link
    degrees: tuple[str, ...]
    acts: int


@dataclass
class Related:
    """A titled list of records around a record (a page section)."""

    heading: str
    links: list[Link]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class PersonPage(Page):
    protected: bool
    acts: list[ActLine]
    perpetrated: list[ActLine]
    related: list[Related]


@dataclass
class IncidentPage(Page):
    acts: list[ActLine]
    acts_total: int
    first: int
    groups: list[Group]
    places: list[tuple[Link, UncertainPlace | None]]
    information: list[Link]
    relations: list[Relation]
    timeline: list[tuple[str, int]]
    map: list[MapPoint]


@dataclass
class RecordPage(Page):
    related: list[Related]
