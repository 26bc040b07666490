"""One read of the records that legal analysis and checklists reason over.

Suggestions and checklist rules look at many kinds at once (an act, its victim, its
perpetrators, its burial site, the testimony about its incident); loading each kind once
and indexing the links keeps a whole matrix or checklist to a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound
from dalil.extract.reports import report_sources
from dalil.model.tables import Record
from dalil.records import Records, RecordView
from dalil.vault.holdings import EvidenceItem, evidence_items

KINDS = (
    "mandate",
    "event",
    "place",
    "act",
    "person",
    "organisation",
    "involvement",
    "command",
    "burial_site",
    "source",
    "information_record",
    "interview",
    "consent_record",
    "risk_assessment",
    "event_relation",
)
#: subjects an element can be assessed for
SUBJECT_KINDS = ("event", "person", "organisation")


@dataclass
class CaseBook:
    session: Session
    case_id: str
    by_kind: dict[str, list[RecordView]]
    by_id: dict[str, RecordView]
    #: the case's evidence items, in ingest order
    items: list[EvidenceItem]
    #: source record id -> vault item id, for sources added as reports
    preserved: dict[str, str]
    acts_by_event: dict[str, list[RecordView]] = field(default_factory=dict)
    involvements_by_act: dict[str, list[RecordView]] = field(default_factory=dict)
    infos_by_event: dict[str, list[RecordView]] = field(default_factory=dict)
    infos_by_source: dict[str, list[RecordView]] = field(default_factory=dict)
    by_person: dict[str, dict[str, list[RecordView]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, case_id: str, actor: str = "legal") -> CaseBook:
        book = Records(session, case_id, actor)
        by_kind = {k: book.all(k) for k in KINDS}
        cb = cls(
            session,
            case_id,
            by_kind,
            {v.id: v for vs in by_kind.values() for v in vs},
            evidence_items(session, case_id),
            report_sources(session, case_id),
        )
        cb._index()
        return cb

    def _index(self) -> None:
        grouped: dict[str, defaultdict[str, list[RecordView]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for a in self.by_kind["act"]:
            grouped["acts"][a.refs.get("event") or ""].append(a)
        for inv in self.by_kind["involvement"]:
            grouped["inv"][inv.refs.get("act") or ""].append(inv)
        for info in self.by_kind["information_record"]:
            grouped["info_ev"][info.refs.get("event") or ""].append(info)
            grouped["info_src"][info.refs.get("source") or ""].append(info)
        self.acts_by_event = dict(grouped["acts"])
        self.involvements_by_act = dict(grouped["inv"])
        self.infos_by_event = dict(grouped["info_ev"])
        self.infos_by_source = dict(grouped["info_src"])
        people: defaultdict[str, defaultdict[str, list[RecordView]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for kind, link in (
            ("consent_record", "person"),
            ("risk_assessment", "person"),
            ("interview", "interviewee"),
            ("source", "person"),
            ("act", "victim"),
        ):
            for v in self.by_kind[kind]:
                if pid := v.refs.get(link):
                    people[pid][kind].append(v)
        self.by_person = {p: dict(d) for p, d in people.items()}

    def of(self, kind: str) -> list[RecordView]:
        return self.by_kind[kind]

    def linked(self, person_id: str, kind: str) -> list[RecordView]:
        return self.by_person.get(person_id, {}).get(kind, [])

    def subject(self, subject_id: str) -> RecordView:
        view = self.by_id.get(subject_id)
        if view is None or view.kind not in SUBJECT_KINDS:
            raise InvalidInput(
                "the subject of an assessment is an incident (event), a person or a "
                f"perpetrator group (organisation) of this case; {subject_id!r} is not",
                path="subject",
            )
        return view

    def acts_of(self, subject_id: str) -> list[RecordView]:
        """The acts a subject's assessment is about: an incident's acts (and those of the
        incidents it encompasses, through its child events' acts), a group's or a person's
        acts as perpetrator, or the acts a person suffered."""
        view = self.subject(subject_id)
        if view.kind == "event":
            inner = {subject_id}
            for rel in self.by_kind["event_relation"]:
                if rel.refs.get("from_event") == subject_id and rel.refs.get("to_event"):
                    inner.add(rel.refs["to_event"] or "")
            return [a for e in sorted(inner) for a in self.acts_by_event.get(e, [])]
        link = "organisation" if view.kind == "organisation" else "person"
        acts = [
            a
            for a in self.by_kind["act"]
            if any(i.refs.get(link) == subject_id for i in self.involvements_by_act.get(a.id, []))
        ]
        if view.kind == "person":
            seen = {a.id for a in acts}
            acts += [a for a in self.linked(subject_id, "act") if a.id not in seen]
        return acts

    def top_events(self) -> list[RecordView]:
        """Incidents no other incident encompasses (the case's episodes)."""
        inner = {r.refs.get("to_event") for r in self.by_kind["event_relation"]}
        return [e for e in self.by_kind["event"] if e.id not in inner]

    def perpetrator_groups(self) -> list[RecordView]:
        """Organisations with at least one act attributed to them."""
        attributed = {i.refs.get("organisation") for i in self.by_kind["involvement"]}
        return [g for g in self.by_kind["organisation"] if g.id in attributed]

    def material_types(self, info_ids: list[str] | tuple[str, ...]) -> set[str]:
        """The source material types behind information records."""
        out = set()
        for i in info_ids:
            info = self.by_id.get(i)
            src = self.by_id.get(info.refs.get("source") or "") if info else None
            if src is not None and (mt := src.value("material_type")):
                out.add(str(mt))
        return out

    def restrict(self, records: set[str], assertions: set[str]) -> None:
        """Keep only these records and assertions (what an audience may see under a consent
        scope, :func:`dalil.records.sharing.scoped_document`), and index again."""
        for kind, views in self.by_kind.items():
            kept = [v for v in views if v.id in records]
            for v in kept:
                v.current = {
                    name: [f for f in facts if f.id in assertions]
                    for name, facts in v.current.items()
                }
                v.current = {name: facts for name, facts in v.current.items() if facts}
                v.history = [f for f in v.history if f.id in assertions]
            self.by_kind[kind] = kept
        self.by_id = {v.id: v for vs in self.by_kind.values() for v in vs}
        self._index()


def find_record(session: Session, case_id: str, key: str) -> str:
    """The id of the case's record whose id or pseudonymous label is ``key`` (``EV-03``)."""
    found = session.scalars(
        select(Record.id).where(
            Record.case_id == case_id, or_(Record.id == key, Record.label == key)
        )
    ).all()
    if len(found) != 1:
        raise NotFound(f"no single record {key!r} in this case", path="subject")
    return found[0]
