"""The case document: a whole case as one JSON document, its format and how it is read.

Format ``dalil-case`` version 1 (documented in ``docs/case-document.md``)::

    {"format": "dalil-case", "version": 1,
     "case": {"id", "title", "description", "fictional", "created_at", "created_by"},
     "vocabulary_extensions": [{"vocabulary", "code", "en", "ar", "huridocs", "acled"}],
     "records": [{"kind", "id", "label", "created_at", "created_by", "refs": {...},
                  "protection_level"?}],
     "assertions": [{"id", "subject", "field", "value", "confidence", "assessed_by",
                     "assessed_at", "method", "note", "supersedes", "sources": [...]}]}

This module knows the format only: its models (:class:`CaseDocument`), :func:`parse`,
which decodes and structurally validates a document's bytes (errors name the JSON path),
and :func:`dumps`, its canonical text. Writing a case to a document and a document to a
workspace is :mod:`dalil.records.exchange`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from dalil.errors import InvalidInput, json_path
from dalil.model.catalogue import KINDS

FORMAT = "dalil-case"
VERSION = 1
#: Order in which kinds are written on import, so that every link points backwards.
KIND_ORDER = (
    "mandate",
    "place",
    "person",
    "organisation",
    "command",
    "event",
    "event_relation",
    "burial_site",
    "act",
    "involvement",
    "source",
    "information_record",
    "interview",
    "consent_record",
    "risk_assessment",
)
assert set(KIND_ORDER) == set(KINDS)

#: ids are stored in 36-character columns (a UUID's length); a longer one was accepted
#: here and then refused by PostgreSQL as a storage error
Id = Annotated[str, Field(min_length=1, max_length=36)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


def _utc(value: datetime) -> datetime:
    """The moment in UTC, as it is stored; a moment that has no UTC form (year 1 at
    +05:00) is refused here rather than by the database."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the moment is outside the years 1 to 9999 in UTC") from None


#: a timestamp with its time zone (dalil stores UTC: a naive one is ambiguous and was
#: refused only by the database, as a storage error)
Moment = Annotated[AwareDatetime, Field(strict=False), AfterValidator(_utc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CaseHeader(_Strict):
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=500)]
    description: Annotated[str, Field(max_length=100_000)] | None
    fictional: bool
    created_at: Moment
    created_by: Name


class TermEntry(_Strict):
    vocabulary: Annotated[str, Field(max_length=80)]
    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,80}$")]
    en: Annotated[str, Field(min_length=1, max_length=500)]
    ar: Annotated[str, Field(max_length=500)]
    huridocs: Annotated[str, Field(max_length=500)] | None
    acled: Annotated[str, Field(max_length=200)] | None


class RecordEntry(_Strict):
    kind: Annotated[str, Field(max_length=40)]
    id: Id
    label: Annotated[str, Field(min_length=1, max_length=80)] | None
    created_at: Moment
    created_by: Name
    refs: dict[Annotated[str, Field(max_length=40)], Id | None]
    protection_level: Literal["public", "restricted", "protected"] | None = None


class AssertionEntry(_Strict):
    id: Id
    subject: Id
    field: Annotated[str, Field(max_length=64)]
    value: Any
    confidence: Annotated[str, Field(max_length=40)]
    assessed_by: Name
    assessed_at: Moment
    method: Annotated[str, Field(max_length=100_000)] | None
    note: Annotated[str, Field(max_length=100_000)] | None
    supersedes: Id | None
    sources: list[Id]


class WithheldPerson(_Strict):
    label: Annotated[str, Field(max_length=80)]
    why: Annotated[str, Field(max_length=200)]


class SharingNote(_Strict):
    """Present when the document was shared under a consent scope (:mod:`dalil.records.sharing`):
    what was withheld, in counts and pseudonyms."""

    scope: Annotated[str, Field(max_length=80)]
    withheld_persons: list[WithheldPerson]
    included_protected: list[Annotated[str, Field(max_length=80)]]
    withheld_records: Annotated[int, Field(ge=0)]
    withheld_assertions: Annotated[int, Field(ge=0)]
    assertions_with_withheld_sources: Annotated[int, Field(ge=0)]


class CaseDocument(_Strict):
    format: Literal["dalil-case"]
    version: int
    case: CaseHeader
    vocabulary_extensions: list[TermEntry]
    records: list[RecordEntry]
    assertions: list[AssertionEntry]
    sharing: SharingNote | None = None


def timestamp(value: datetime) -> str:
    """A stored (UTC, naive) time as the document writes it: ISO 8601 with microseconds."""
    return value.isoformat(timespec="microseconds")


def dumps(document: dict[str, Any]) -> str:
    """Canonical text of a case document: sorted keys, UTF-8 kept readable, newline at end."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


# -- reading ---------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse(data: bytes, *, max_bytes: int) -> CaseDocument:
    """Decode and structurally validate a case document; errors name the JSON path."""
    if len(data) > max_bytes:
        raise InvalidInput(
            f"document of {len(data)} bytes exceeds the limit of {max_bytes}", path="$"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"invalid UTF-8 at byte {err.start}", path="$") from None
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise InvalidInput(
            f"not valid JSON (truncated or malformed) at line {err.lineno} "
            f"column {err.colno}: {err.msg}",
            path="$",
        ) from None
    except (ValueError, RecursionError) as err:
        raise InvalidInput(f"not valid JSON: {err}", path="$") from None
    if not isinstance(raw, dict):
        raise InvalidInput("a case document is a JSON object", path="$")
    _check_strings(raw)
    version = raw.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InvalidInput(
            f"case document version {version} was written by a newer dalil "
            f"(this one reads {VERSION})",
            path="$.version",
        )
    try:
        doc = CaseDocument.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        raise InvalidInput(first["msg"], path=json_path(first["loc"])) from None
    if doc.version != VERSION:
        raise InvalidInput(f"unsupported case document version {doc.version}", path="$.version")
    return doc


def _check_strings(raw: dict[str, Any]) -> None:
    """Refuse a NUL character or a lone surrogate (``"\\ud800"``) in any string of the
    document, key or value, naming its JSON path: neither can be stored (PostgreSQL
    refuses NUL in text, and a lone surrogate is not UTF-8), and both reached the
    database before, which refused them without saying where. Walked without recursion:
    a document may nest deeply."""
    stack: list[tuple[Any, str]] = [(raw, "$")]
    while stack:
        node, where = stack.pop()
        children: list[tuple[Any, str]] = []
        if isinstance(node, str):
            _check_text(node, where)
        elif isinstance(node, dict):
            for key, value in node.items():
                _check_text(key, _step(where, key))
                children.append((value, _step(where, key)))
        elif isinstance(node, list):
            children = [(value, f"{where}[{i}]") for i, value in enumerate(node)]
        stack.extend(reversed(children))  # the first bad string in document order


def _step(where: str, key: str) -> str:
    return f"{where}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{where}[{key!r}]"


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise InvalidInput("text holds a NUL character (\\u0000)", path=where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InvalidInput(
            f"text holds a lone surrogate (\\u{ord(value[err.start]):04x}), which is not "
            "Unicode text",
            path=where,
        ) from None
