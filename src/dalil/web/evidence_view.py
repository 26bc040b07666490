"""What the evidence screens show of an item, gathered for a page: its sealed metadata
(when the server holds the vault), its preview state, the records it supports (named as
record pages name them: a protected person by pseudonym only) and its custody history.

Reading sealed metadata is a custody event (one ``view`` per item shown, purpose
``metadata``), written by :meth:`dalil.vault.service.Vault.describe_many`; the rest reads
plain rows and writes nothing. The routes are :mod:`dalil.web.evidence_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.model.tables import Record
from dalil.model.words import Phrase
from dalil.records import Records
from dalil.records.dossier_parts import link_of
from dalil.vault import custody_log, holdings
from dalil.vault.service import Vault
from dalil.vault.tables import VaultItem
from dalil.vault.thumbnails import PreviewState, preview_states
from dalil.web.i18n import N_
from dalil.web.record_shared import href

#: the kinds offered by the record chooser, in this order (persons by pseudonym instead:
#: a case may document a hundred thousand of them)
CHOOSER_KINDS = ("event", "organisation", "place", "burial_site", "source")
CHOOSER_LIMIT = 300  # of each kind
#: the acquisition methods and custody purposes dalil itself writes, which the pages show in
#: their language (evidence_facts.html, evidence_history.html); one a person typed (the
#: CLI's ``--method``, the API's ``purpose``) is shown as written, as data
DALIL_WORDS = (
    N_("handed over"),
    N_("field capture"),
    N_("report intake"),
    N_("review"),
    N_("record page"),
    N_("case file"),
)

#: a run of Latin-script words (a program or format name inside a translated message)
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9._'-]*")


def names_isolated(english: str, shown: str) -> Markup:
    """``shown``, the translation of the message ``english``, with each run of Latin script
    isolated as a name (``<bdi dir="ltr">``): a translated preview reason keeps the names
    of programs and formats (``ffmpeg``, ``poppler``'s ``pdftoppm``, ``HEIC``) in Latin
    letters, which must not reorder the Arabic around them. A message with no translation
    (``shown == english``) is returned escaped and untouched: its words are interface text
    still to translate, not names."""
    if shown == english:
        return escape(shown)
    out, at = Markup(""), 0
    for run in LATIN_RUN.finditer(shown):
        out += escape(shown[at : run.start()]) + Markup('<bdi dir="ltr">{}</bdi>').format(run[0])
        at = run.end()
    return out + escape(shown[at:])


@dataclass(frozen=True)
class RecordLink:
    id: str
    kind: str
    title: str
    href: str


@dataclass
class Card:
    """One item as the gallery and the item page show it."""

    item: VaultItem
    preview: PreviewState
    meta: dict[str, Any] | None = None  # sealed metadata; None when it cannot be shown
    records: list[RecordLink] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        return None if self.meta is None else self.meta.get("original_name")

    @property
    def captured(self) -> str | None:
        """When the file says it was made (EXIF ``DateTimeOriginal`` / ``DateTime``, a
        PDF's ``CreationDate``), as the file writes it: camera clocks carry no zone."""
        embedded = (self.meta or {}).get("embedded") or {}
        exif = embedded.get("exif") or {}
        info = embedded.get("info") or {}
        found = exif.get("DateTimeOriginal") or exif.get("DateTime") or info.get("CreationDate")
        return _file_date(str(found)) if found else None

    @property
    def camera(self) -> str | None:
        exif = ((self.meta or {}).get("embedded") or {}).get("exif") or {}
        return " ".join(str(exif[k]) for k in ("Make", "Model") if exif.get(k)) or None


def _file_date(text: str) -> str:
    """An EXIF date (``2025:03:13 16:22:03``) or a PDF date (``D:20250313162203+02'00'``)
    as ``2025-03-13 16:22:03`` (with the PDF's offset when it gives one); anything else
    as written."""
    exif = re.fullmatch(r"(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})", text.strip())
    if exif:
        return "{}-{}-{} {}".format(*exif.groups())
    pdf = re.fullmatch(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?",
                       text.strip())  # fmt: skip
    if pdf:
        y, mo, d, h, mi, sec, zone = pdf.groups()
        offset = "" if not zone else " UTC" if zone == "Z" else " " + zone.replace("'", "")
        return f"{y}-{mo}-{d} {h}:{mi}:{sec}{offset}"
    return text


def record_links(s: Session, case_id: str, ids: Sequence[str]) -> dict[str, RecordLink]:
    """How each record is named and where its page is (persons who are not public by
    pseudonym only, as on the record pages)."""
    if not ids:
        return {}
    views = Records(s, case_id, "viewer").views(list(dict.fromkeys(ids)))
    out = {}
    for view in views:
        link = link_of(view)
        out[view.id] = RecordLink(view.id, view.kind, link.title, href(case_id, view.kind, view.id))
    return out


def cards(
    s: Session, vault: Vault | None, case_id: str, actor: str, items: Sequence[VaultItem],
    per_item: int | None = None,
) -> list[Card]:  # fmt: skip
    """The cards of ``items``; sealed metadata only with ``vault`` (each a ``view``)."""
    states = preview_states(s, [it.sha256 for it in items])
    linked = holdings.records_of(s, case_id, [it.id for it in items])
    names = record_links(s, case_id, [r for ids in linked.values() for r in ids])
    # an item's history starts at its first ingest (the same bytes ingested again into
    # the case are a reingest, later): the ledger is scanned from the earliest of them
    since = min((it.ingest_index for it in items), default=0)
    shas = [it.sha256 for it in items]
    history = custody_log.item_histories(s, case_id, shas, per_item, since=since)
    metas = vault.describe_many(case_id, [it.id for it in items], actor) if vault else {}
    return [
        Card(
            it,
            states[it.sha256],
            metas.get(it.id),
            [names[r] for r in linked[it.id] if r in names],
            history[it.sha256],
        )
        for it in items
    ]


def chooser(s: Session, case_id: str) -> list[RecordLink]:
    """The records offered by the attach form: the case's incidents, organisations, places,
    burial sites and sources, the newest :data:`CHOOSER_LIMIT` of each kind, by kind then
    title."""
    ids: list[str] = []
    for kind in CHOOSER_KINDS:
        ids += s.scalars(
            select(Record.id)
            .where(Record.case_id == case_id, Record.kind == kind)
            .order_by(Record.created_at.desc())
            .limit(CHOOSER_LIMIT)
        )
    found = record_links(s, case_id, ids)
    order = {k: n for n, k in enumerate(CHOOSER_KINDS)}
    return sorted(found.values(), key=lambda r: (order[r.kind], r.title.casefold()))


def resolve_record(s: Session, case_id: str, given: str) -> str:
    """The id of the record named by ``given``: its id, or a label unique in the case (a
    person's pseudonym such as ``P-0001``). Anything else is refused, naming the field."""
    given = given.strip()
    if not given:
        raise InvalidInput(Phrase(N_("choose the record this item supports")), path="record_id")
    found = s.get(Record, given)
    if found is not None and found.case_id == case_id:
        return found.id
    labelled = list(
        s.scalars(select(Record.id).where(Record.case_id == case_id, Record.label == given))
    )
    if len(labelled) == 1:
        return labelled[0]
    if len(labelled) > 1:
        raise InvalidInput(Phrase(N_("more than one record is labelled {label}; choose it by id"),
                                label=given), path="record_id")  # fmt: skip
    raise InvalidInput(Phrase(N_("no record {label} in this case"), label=given), path="record_id")


def same_site(target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site (``/...``, not ``//host`` or a backslash
    trick), else ``fallback``: a form's ``next`` never sends a person elsewhere."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\\" not in target
        and all(c.isprintable() and not c.isspace() for c in target)
    ):
        return target[:2000]
    return fallback


def items_page(s: Session, case_id: str, page: int, size: int) -> tuple[list[VaultItem], int]:
    """One page of the case's items, newest first, and how many there are."""
    from sqlalchemy import func

    total = s.scalar(select(func.count()).where(VaultItem.case_id == case_id)) or 0
    rows = s.scalars(
        select(VaultItem)
        .where(VaultItem.case_id == case_id)
        .order_by(VaultItem.ingest_index.desc())
        .limit(size)
        .offset(page * size)
    )
    return list(rows), int(total)
