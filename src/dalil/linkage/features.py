"""Comparison columns from victim-list rows: name-part keys, sex, age, dates, places.

Values are assumed already validated by the importer (:mod:`dalil.intake.victim_lists`);
in stateless use an unreadable optional value is treated as missing rather than failing
the run. Parsing results are cached: a million records repeat far fewer distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from dalil.intake import fields
from dalil.places import names
from dalil.places.index import PlaceIndex

KEY_SEP = "\x1f"
#: Version of the comparison columns :func:`prepare` builds, stored with every trained
#: model: a stored model re-scores a run's records only with the features it was trained
#: on (2: issue 25's written forms, counts, middle-name set, glued articles, place words).
FEATURES_VERSION = 2
_EPOCH = date(1970, 1, 1).toordinal()
NAME_PARTS = ("given", "father", "grandfather", "family")


def record_key(source: str, record_id: str) -> str:
    return f"{source}{KEY_SEP}{record_id}"


def split_key(key: str) -> tuple[str, str]:
    source, _, record_id = key.partition(KEY_SEP)
    return source, record_id


@lru_cache(maxsize=500_000)
def _token_key(token: str) -> str:
    return names.token_key(token)


#: A Latin family name that may have its article glued on ("Alahmad", "Aljoumleh"): what
#: is left has four letters or more and does not start with another l ("Allaf" keeps its
#: l). Whether it is an article is decided by the lists (:func:`_unglue`): "Aloush" (علوش)
#: and "Alameh" (علامة) start with a letter of the name, not an article.
_GLUED_ARTICLE = re.compile(r"^[ae]l(?=[^l][a-z]{3})")


@lru_cache(maxsize=500_000)
def _written(text: str) -> str:
    return " ".join(names.name_tokens(text))


@lru_cache(maxsize=500_000)
def _unglued(form: str) -> str | None:
    """The family name without a glued Latin article, or None when it has none."""
    bare = " ".join(_GLUED_ARTICLE.sub("", t) if t.isascii() else t for t in form.split())
    return bare if bare != form else None


def _unglue(frame: pd.DataFrame) -> None:
    """Drop the glued article from a family name where the lists say it is one: the key
    without it is carried by more of the other records (Arabic الأحمد, Latin "Al-Ahmad")
    than the key with it. With no such evidence the name is left as written."""
    glued = frame["family_g"].notna()
    if not glued.any():
        return
    plain = frame.loc[~glued, "family_k"].value_counts()
    alt_form = frame.loc[glued, "family_g"]
    alt_key = alt_form.map(_form_key)
    own_key = frame.loc[glued, "family_k"]
    take = alt_key.map(lambda k: plain.get(k, 0)) > own_key.map(lambda k: plain.get(k, 0))
    rows = take[take].index
    frame.loc[rows, "family_f"] = alt_form[rows]
    frame.loc[rows, "family_k"] = alt_key[rows]


@lru_cache(maxsize=500_000)
def _form_key(form: str) -> str | None:
    return " ".join(k for k in map(_token_key, form.split()) if k) or None


_PART_COLUMNS = ("given_name", "father_name", "grandfather_name", "family_name")
#: Parts whose written form is compared (``*_f``); father and grandfather by key only.
_COMPARED_FORMS = ("given", "family")


def _name_columns(row: dict[str, str]) -> dict[str, Any]:
    """Name parts as cross-script keys (``*_k``) and, for given and family name, written
    forms (normalised tokens, ``*_f``): a part column when the list has it, else the parsed
    full name.
    ``middle_k`` holds the keys of father and grandfather together, compared as a set."""
    explicit = {col: (row.get(col) or "").strip() for col in _PART_COLUMNS}
    parsed = (
        names.parse_name(row.get("full_name", "") or "") if not all(explicit.values()) else None
    )
    out: dict[str, Any] = {}
    for part, col in zip(NAME_PARTS, _PART_COLUMNS, strict=True):
        form = _written(explicit[col]) if explicit[col] else getattr(parsed, part, "")
        if part == "family":
            out["family_g"] = _unglued(form)
        if part in _COMPARED_FORMS:
            out[f"{part}_f"] = form or None
        out[f"{part}_k"] = _form_key(form)
    middle = [out[f"{p}_k"] for p in ("father", "grandfather") if out[f"{p}_k"]]
    out["middle_k"] = " ".join(middle) or None
    return out


@lru_cache(maxsize=100_000)
def _sex(value: str) -> str | None:
    return _safe(fields.parse_sex, value)  # type: ignore[no-any-return]


@lru_cache(maxsize=100_000)
def _age(value: str) -> int | None:
    return _safe(fields.parse_age, value)  # type: ignore[no-any-return]


@lru_cache(maxsize=100_000)
def _days(value: str) -> tuple[int | None, int | None, str | None]:
    """A date value as an interval of day numbers since 1970-01-01, and a full date as
    YYYYMMDD text for the one-mistyped-digit level (None when missing or partial)."""
    span = _safe(fields.parse_date, value)
    if not span:
        return None, None, None
    text = span[0].strftime("%Y%m%d") if span[0] == span[1] else None
    return span[0].toordinal() - _EPOCH, span[1].toordinal() - _EPOCH, text


COLUMNS = (
    "unique_id", "source", "script", "given_f", "given_k", "father_k", "grandfather_k",
    "family_f", "family_k", "family_g", "middle_k", "sex", "age",
    "dod_lo", "dod_hi", "dod_s", "dob_lo", "dob_hi", "dob_s", "place", "gov",
)  # fmt: skip
#: Name columns whose values are counted over the lists (``*_n``: how many records carry
#: the same form or key), so that comparisons can tell a rare misspelling of a common
#: name from a second common name one letter away (خاقد/خالد against محمد/محمود).
COUNTED = ("given_f", "given_k", "family_f", "family_k")


def count_column(col: str) -> str:
    """The column holding how many records share ``col``'s value: ``given_f`` ->
    ``given_nf`` (see :data:`COUNTED`)."""
    return f"{col[:-2]}_n{col[-1]}"


#: A spelling seen at most this share of the records (and at least twice) is rare in
#: absolute terms (``rare_cap``, one value per run, in every row for the SQL).
RARE_SHARE = 0.002


def prepare(
    rows: Iterable[dict[str, str]],
    places: PlaceIndex | None = None,
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Comparison columns for list rows (each with ``source`` and ``record_id``).

    Values are assumed already validated by the importer; unreadable optional values here
    (stateless use) are treated as missing rather than failing the run.
    """
    places = places or PlaceIndex.packaged()
    place_key = lru_cache(maxsize=100_000)(places.place_key)
    governorate = lru_cache(maxsize=10_000)(places.governorate)
    out = []
    for row in rows:
        rec: dict[str, Any] = _name_columns(row)
        rec["unique_id"] = record_key(row["source"], row["record_id"])
        rec["source"] = row["source"]
        written = row.get("full_name") or row.get("given_name") or row.get("family_name") or ""
        rec["script"] = "ar" if names.is_arabic(written) else "lat"
        rec["sex"] = _sex(row.get("sex") or "")
        rec["age"] = _age(row.get("age") or "")
        rec["dod_lo"], rec["dod_hi"], rec["dod_s"] = _days(row.get("date_of_death") or "")
        rec["dob_lo"], rec["dob_hi"], rec["dob_s"] = _days(row.get("birth_date") or "")
        place, gov = place_key(row.get("place_of_death") or "")
        rec["place"] = place or None
        given_gov = (row.get("governorate") or "").strip()
        rec["gov"] = gov or (governorate(given_gov) if given_gov else None) or None
        for col in extra:
            rec[f"x_{col}"] = names.normalise(row.get(col) or "") or None
        out.append(rec)
    frame = pd.DataFrame.from_records(out, columns=[*COLUMNS, *(f"x_{c}" for c in extra)])
    for col in ("age", "dod_lo", "dod_hi", "dob_lo", "dob_hi"):
        frame[col] = frame[col].astype("Int64")
    _unglue(frame)
    for col in COUNTED:
        frame[count_column(col)] = frame.groupby(col)[col].transform("size").astype("Int64")
    frame["rare_cap"] = max(2.0, RARE_SHARE * len(frame))
    return frame


def _safe(parse: Callable[[str], Any], value: str | None) -> Any:
    try:
        return parse(value or "")
    except ValueError:
        return None
