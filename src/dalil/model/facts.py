"""Checking a fact value against its field, and reading a stored one back.

A fact arrives as a typed object of :mod:`dalil.model.values`, its JSON dict, text, a
vocabulary code or an integer; :func:`normalise` checks it against its
:class:`~dalil.model.kinds.FieldSpec` (type, length, every vocabulary code inside it) and
returns the JSON form the database stores and case documents carry. :func:`typed` is the
inverse, for reading.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from dalil.errors import InvalidInput, json_path
from dalil.model import values as v
from dalil.model.kinds import FieldSpec
from dalil.model.vocabulary import Vocabularies

_STRUCTURED: dict[str, type[v.Value]] = {
    "date": v.UncertainDate,
    "place": v.UncertainPlace,
    "count": v.UncertainCount,
    "age": v.Age,
    "name": v.PersonName,
    "affiliation": v.Affiliation,
    "log": v.LogEntry,
    "ref": v.Ref,
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(t) for k, t in _STRUCTURED.items()}
_INT = TypeAdapter(int)

#: The longest ``text`` fact, in characters (``longtext`` is bounded by the workspace's
#: ``max_text_chars``, handed in as ``max_chars``).
SHORT_TEXT_CHARS = 2_000


def _check_terms(value: v.Value, spec: FieldSpec, vocabs: Vocabularies, path: str) -> None:
    """Check every vocabulary code inside a structured value."""
    if isinstance(value, v.UncertainDate):
        vocabs.check("date_precision", value.precision, f"{path}.precision")
        if value.date_type:
            vocabs.check("date_type", value.date_type, f"{path}.date_type")
    elif isinstance(value, v.UncertainCount):
        vocabs.check("count_kind", value.count_kind, f"{path}.count_kind")
        vocabs.check("count_subject", value.what, f"{path}.what")
        vocabs.check("count_population", value.population, f"{path}.population")
    elif isinstance(value, v.Age) and value.category:
        vocabs.check("age_category", value.category, f"{path}.category")
    elif isinstance(value, v.Affiliation):
        vocabs.check("state_affiliation", value.status, f"{path}.status")
        if value.period:
            _check_terms(value.period, spec, vocabs, f"{path}.period")
    elif isinstance(value, v.LogEntry):
        if value.kind is not None:
            if spec.vocabulary is None:
                raise InvalidInput("this log takes no kind", path=f"{path}.kind")
            vocabs.check(spec.vocabulary, value.kind, f"{path}.kind")
        if value.date:
            _check_terms(value.date, spec, vocabs, f"{path}.date")
    elif isinstance(value, v.Ref) and value.kind != spec.ref_kind:
        raise InvalidInput(
            f"must refer to a {spec.ref_kind}, not a {value.kind}", path=f"{path}.kind"
        )


def _pydantic_message(err: ValidationError, path: str) -> InvalidInput:
    first = err.errors()[0]
    return InvalidInput(first["msg"], path=json_path(first["loc"], root=path))


def normalise(
    spec: FieldSpec, value: Any, vocabs: Vocabularies, *, path: str, max_chars: int
) -> Any:
    """Validate a fact value of any accepted form and return its JSON form.

    Accepts the typed objects of :mod:`dalil.model.values` or their JSON dicts. Raises
    :class:`InvalidInput` naming ``path`` (and the sub-field) on any problem. The JSON form
    is what the database stores and what case documents carry.
    """
    if spec.type in ("text", "longtext"):
        limit = SHORT_TEXT_CHARS if spec.type == "text" else max_chars
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("expected non-empty text", path=path)
        if len(value) > limit:
            raise InvalidInput(
                f"text of {len(value)} characters exceeds the limit of {limit}", path=path
            )
        return value
    if spec.type == "term":
        if not isinstance(value, str):
            raise InvalidInput("expected a vocabulary code", path=path)
        assert spec.vocabulary is not None
        vocabs.check(spec.vocabulary, value, path)
        return value
    if spec.type == "int":
        if isinstance(value, bool):
            raise InvalidInput("expected an integer", path=path)
        try:
            return _INT.validate_python(value, strict=True)
        except ValidationError as err:
            raise _pydantic_message(err, path) from None
    model = _STRUCTURED[spec.type]
    try:
        obj = value if isinstance(value, model) else _ADAPTERS[spec.type].validate_python(value)
    except ValidationError as err:
        raise _pydantic_message(err, path) from None
    _check_terms(obj, spec, vocabs, path)
    return obj.model_dump(mode="json", exclude_none=True)


def typed(spec: FieldSpec, stored: Any) -> Any:
    """The typed Python value of a stored JSON fact value (inverse of :func:`normalise`)."""
    if stored is None or spec.type in ("text", "longtext", "term", "int"):
        return stored
    return _ADAPTERS[spec.type].validate_python(stored)
