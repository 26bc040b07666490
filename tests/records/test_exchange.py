"""Case documents: lossless round trip, and bad input that changes nothing."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dalil.errors import Conflict, InvalidInput, UnknownTerm
from dalil.model.tables import Assertion, Case, Record, VocabularyTerm
from dalil.model.values import Age, PersonName, UncertainCount, UncertainDate, UncertainPlace
from dalil.records import Records, add_term, exchange, ref
from dalil.records.cases import create_case
from dalil.workspace import Workspace

LIMIT = 50 * 1024 * 1024


def _export(ws: Workspace, case_id: str) -> str:
    with ws.session() as s:
        return exchange.dumps(exchange.export_case(s, case_id))


def _import(ws: Workspace, text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    with ws.session() as s:
        return exchange.import_case(s, exchange.parse(data, max_bytes=LIMIT)).id


def _state(ws: Workspace) -> tuple[int, ...]:
    with ws.session() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Case, Record, Assertion, VocabularyTerm)
        )


def test_demo_round_trip_is_identical(demo_ws: Workspace, ws: Workspace) -> None:
    with demo_ws.session() as s:
        case_id = s.scalars(select(Case.id)).one()
    first = _export(demo_ws, case_id)
    assert _import(ws, first) == case_id
    assert _export(ws, case_id) == first
    doc = json.loads(first)
    assert doc["format"] == "dalil-case" and doc["version"] == 1
    assert len(doc["records"]) > 400 and len(doc["assertions"]) > 2000


# -- property test --------------------------------------------------------------------

texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(str.strip)
days = st.dates(date(1990, 1, 1), date(2030, 12, 31))
moments = st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@st.composite
def uncertain_dates(draw: st.DrawFn) -> UncertainDate:
    start = draw(days)
    span = draw(st.integers(0, 40))
    return UncertainDate.between(
        start, start + timedelta(days=span), "month", as_reported=draw(st.none() | texts)
    )


@st.composite
def counts(draw: st.DrawFn) -> UncertainCount:
    n = draw(st.integers(0, 5000))
    qualifier = draw(st.sampled_from(["exact", "at_least", "more_than", "about", "up_to"]))
    kind = draw(st.sampled_from(["reported", "documented", "identified"]))
    if qualifier == "exact":
        return UncertainCount.exactly(n, count_kind=kind)
    if qualifier in ("at_least", "more_than"):
        return UncertainCount(low=n, qualifier=qualifier, count_kind=kind)
    if qualifier == "up_to":
        return UncertainCount(high=n, qualifier=qualifier)
    return UncertainCount(best=n, qualifier="about", as_reported=draw(texts))


names = st.builds(
    PersonName,
    script=st.sampled_from(["Arab", "Latn"]),
    full=texts,
    given=st.none() | texts,
    family=st.none() | texts,
    kind=st.sampled_from(["primary", "variant"]),
)
places = st.builds(
    UncertainPlace,
    name=st.none() | texts,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    precision=st.integers(1, 3),
)
ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["name", "age", "date", "count", "place", "method", "correct", "withdraw", "text"]
        ),
        st.integers(0, 1000),
        st.one_of(names, st.integers(0, 120), uncertain_dates(), counts(), places, texts),
        moments,
    ),
    max_size=25,
)


def _apply(book: Records, plan: list[tuple[str, int, Any, datetime]]) -> None:
    event = book.add("event", facts={"title": "Generated"})
    place = book.add(
        "place", facts={"name": "Somewhere", "location": UncertainPlace(lat=35.0, lon=35.9)}
    )
    src = book.add("source", facts={"title": "S"})
    infos = [
        book.add("information_record", refs={"source": src.id, "event": event.id}).id
        for _ in range(2)
    ]
    people = [book.add("person"), book.add("person", protection_level="protected")]
    act = book.add(
        "act", refs={"event": event.id, "victim": people[0].id}, facts={"place": ref(place)}
    )
    made: list[Assertion] = []
    for op, k, value, at in plan:
        sources = infos[: k % 3]
        if op == "name" and isinstance(value, PersonName):
            made.append(book.assert_fact(people[0].id, "name", value, sources=sources, at=at))
        elif op == "age" and isinstance(value, int):
            made.append(
                book.assert_fact(people[0].id, "age", Age.years(value), at=at, note=f"n{k}")
            )
        elif op == "date" and isinstance(value, UncertainDate):
            made.append(book.assert_fact(event.id, "date", value, sources=sources, at=at))
        elif op == "count" and isinstance(value, UncertainCount):
            made.append(
                book.assert_fact(event.id, "casualties", value, sources=sources, at=at, method="m")
            )
        elif op == "place" and isinstance(value, UncertainPlace):
            made.append(book.assert_fact(place.id, "location", value, at=at))
        elif op == "method":
            made.append(
                book.assert_fact(act.id, "method", ["shooting", "beating", "burning"][k % 3], at=at)
            )
        elif op == "text" and isinstance(value, str):
            made.append(
                book.assert_fact(event.id, "description", value, at=at, confidence="corroborated")
            )
        elif op in ("correct", "withdraw") and made:
            target = made[k % len(made)]
            later = book.session.scalar(
                select(Assertion.id).where(Assertion.supersedes_id == target.id)
            )
            if later is None and target.value is not None:
                if op == "withdraw":
                    made.append(book.withdraw(target.id, note="wrong", at=at))
                else:
                    made.append(
                        book.correct(target.id, target.value, at=at, confidence="consistent")
                    )


@pytest.fixture
def target(tmp_path: Any, backend: str) -> Any:
    """A second, empty workspace on the same backend to import into."""
    from tests_support import drop_schema, make_settings

    s, schema = make_settings(tmp_path / "target", backend)
    workspace = Workspace.create(s)
    yield workspace
    workspace.close()
    if schema:
        drop_schema(schema)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=ops, title=texts, fictional=st.booleans(), extend=st.booleans())
def test_export_import_export_is_identical(
    ws: Workspace, target: Workspace, plan: list[Any], title: str, fictional: bool, extend: bool
) -> None:
    with ws.session() as s:
        case = create_case(s, title, actor="gen", fictional=fictional, id=str(uuid.uuid4()))
        if extend and s.get(VocabularyTerm, ("method_of_violence", "drowning")) is None:
            add_term(s, "method_of_violence", "drowning", "Drowning")
        book = Records(s, case.id, "gen", ws.vocabularies(s))
        _apply(book, plan)
        case_id = case.id
    first = _export(ws, case_id)
    _import(target, first)
    assert _export(target, case_id) == first


# -- bad input ------------------------------------------------------------------------


@pytest.fixture
def good_doc(ws: Workspace) -> dict[str, Any]:
    """A small valid case document whose ids are all new to ``ws``."""
    with ws.session() as s:
        case = create_case(s, "Source case", actor="t")
        book = Records(s, case.id, "t", ws.vocabularies(s))
        src = book.add("source", facts={"title": "Report"})
        info = book.add("information_record", refs={"source": src.id})
        event = book.add(
            "event",
            facts={"title": "E", "casualties": UncertainCount.from_reported("more than 100")},
            sources=[info.id],
        )
        person = book.add("person", facts={"sex": "female", "age": Age.years(30)})
        book.add("act", refs={"event": event.id, "victim": person.id}, facts={"act_type": "murder"})
        doc = exchange.export_case(s, case.id)
    doc["case"]["id"] = str(uuid.uuid4())
    return _rekey(doc)


def _rekey(doc: dict[str, Any]) -> dict[str, Any]:
    """Give every record and assertion a new id (consistently), so imports do not collide."""
    mapping: dict[str, str] = {}
    for r in doc["records"]:
        mapping[r["id"]] = str(uuid.uuid4())
    for a in doc["assertions"]:
        mapping[a["id"]] = str(uuid.uuid4())
    text = json.dumps(doc)
    for old, new in mapping.items():
        text = text.replace(old, new)
    return dict(json.loads(text))


Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value

    return mutate


def _first(doc: dict[str, Any], kind: str) -> int:
    return next(i for i, r in enumerate(doc["records"]) if r["kind"] == kind)


@pytest.mark.parametrize(
    ("mutation", "error", "path"),
    [
        (_set(["version"], 7), InvalidInput, "$.version"),
        (_set(["format"], "other"), InvalidInput, "$.format"),
        (_set(["case", "fictional"], "yes"), InvalidInput, "$.case.fictional"),
        (_set(["case", "title"], "x" * 600), InvalidInput, "$.case.title"),
        (_set(["records", 0, "created_at"], "yesterday"), InvalidInput, "$.records[0].created_at"),
        (_set(["records", 0, "kind"], "spaceship"), InvalidInput, "$.records[0].kind"),
        (_set(["records", 0, "colour"], "red"), InvalidInput, "$.records[0].colour"),
        (_set(["assertions"], {}), InvalidInput, "$.assertions"),
        (lambda d: d.pop("records"), InvalidInput, "$.records"),
    ],
)
def test_structural_errors_name_the_json_path(
    ws: Workspace, good_doc: dict[str, Any], mutation: Mutation, error: type[Exception], path: str
) -> None:
    doc = copy.deepcopy(good_doc)
    mutation(doc)
    before = _state(ws)
    with pytest.raises(error) as err:
        _import(ws, json.dumps(doc))
    assert getattr(err.value, "path", None) == path
    assert _state(ws) == before


def _assertion_index(doc: dict[str, Any], field: str) -> int:
    return next(i for i, a in enumerate(doc["assertions"]) if a["field"] == field)


def test_semantic_errors_change_nothing(ws: Workspace, good_doc: dict[str, Any]) -> None:
    cases: list[tuple[Mutation, type[Exception], str]] = []
    sex = _assertion_index(good_doc, "sex")
    act_i = _first(good_doc, "act")
    cases.append(
        (_set(["assertions", sex, "value"], "alien"), UnknownTerm, f"$.assertions[{sex}].value")
    )
    cases.append(
        (
            _set(["assertions", sex, "confidence"], "certain"),
            UnknownTerm,
            f"$.assertions[{sex}].confidence",
        )
    )
    cases.append(
        (
            _set(["records", act_i, "refs", "event"], "no-such-event"),
            InvalidInput,
            f"$.records[{act_i}].refs.event",
        )
    )
    cases.append(
        (
            _set(["assertions", sex, "subject"], "nobody"),
            InvalidInput,
            f"$.assertions[{sex}].subject",
        )
    )
    cases.append(
        (
            _set(["assertions", sex, "sources"], ["nothing"]),
            InvalidInput,
            f"$.assertions[{sex}].sources[0]",
        )
    )
    cases.append(
        (
            _set(["assertions", sex, "supersedes"], "ghost"),
            InvalidInput,
            f"$.assertions[{sex}].supersedes",
        )
    )
    cases.append(
        (
            lambda d: d["records"].append(copy.deepcopy(d["records"][0])),
            InvalidInput,
            f"$.records[{len(good_doc['records'])}].id",
        )
    )
    cases.append(
        (
            lambda d: d["assertions"].append(copy.deepcopy(d["assertions"][0])),
            InvalidInput,
            f"$.assertions[{len(good_doc['assertions'])}].id",
        )
    )
    desc = _assertion_index(good_doc, "title")
    cases.append(
        (
            _set(["assertions", desc, "value"], "x" * 5000),
            InvalidInput,
            f"$.assertions[{desc}].value",
        )
    )
    cases.append(
        (
            _set(["assertions", desc, "note"], "x" * 200_000),
            InvalidInput,
            f"$.assertions[{desc}].note",
        )
    )
    age = _assertion_index(good_doc, "age")
    cases.append(
        (
            _set(["assertions", age, "value"], {"low": "thirty"}),
            InvalidInput,
            f"$.assertions[{age}].value.low",
        )
    )
    cases.append(
        (
            _set(["assertions", age, "field"], "shoe_size"),
            InvalidInput,
            f"$.assertions[{age}].field",
        )
    )
    cases.append(
        (
            _set(
                ["vocabulary_extensions"],
                [
                    {
                        "vocabulary": "sex",
                        "code": "male",
                        "en": "Male",
                        "ar": "",
                        "huridocs": None,
                        "acled": None,
                    }
                ],
            ),
            InvalidInput,
            "$.vocabulary_extensions[0].code",
        )
    )
    # the last assertion is valid but points at a record of the wrong kind
    cases.append(
        (
            _set(
                ["records", act_i, "refs", "victim"],
                good_doc["records"][_first(good_doc, "event")]["id"],
            ),
            InvalidInput,
            f"$.records[{act_i}].refs.victim",
        )
    )
    before = _state(ws)
    for mutation, error, path in cases:
        doc = copy.deepcopy(good_doc)
        mutation(doc)
        with pytest.raises(error) as err:
            _import(ws, json.dumps(doc))
        assert err.value.path == path, (path, err.value)  # type: ignore[attr-defined]
        assert _state(ws) == before
    # and the untouched document imports
    _import(ws, json.dumps(good_doc))
    assert _state(ws) != before


def test_damaged_bytes(ws: Workspace, good_doc: dict[str, Any]) -> None:
    text = json.dumps(good_doc)
    before = _state(ws)
    for data, message in [
        (text[: len(text) // 2].encode(), "truncated or malformed"),
        (b"\xff\xfe" + text.encode(), "invalid UTF-8 at byte 0"),
        (text.encode().replace(b'"Report"', b'"Rep\xc3\x28ort"'), "invalid UTF-8"),
        (b"[1, 2]", "JSON object"),
        (text.replace('"t"', "NaN", 1).encode(), "not valid JSON"),
    ]:
        with pytest.raises(InvalidInput, match=message) as err:
            _import(ws, data)
        assert err.value.path == "$"
    with pytest.raises(InvalidInput, match="exceeds the limit"):
        exchange.parse(text.encode(), max_bytes=100)
    assert _state(ws) == before


def test_existing_case_and_ids_are_refused(ws: Workspace, good_doc: dict[str, Any]) -> None:
    text = json.dumps(good_doc)
    _import(ws, text)
    before = _state(ws)
    with pytest.raises(Conflict, match="already exists") as err:
        _import(ws, text)
    assert err.value.path == "$.case.id"
    clash = copy.deepcopy(good_doc)
    clash["case"]["id"] = str(uuid.uuid4())
    with pytest.raises(Conflict, match="already used") as err2:
        _import(ws, json.dumps(clash))
    assert (err2.value.path or "").startswith("$.records[")
    assert _state(ws) == before


def test_cycles_are_refused(ws: Workspace, good_doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(good_doc)
    a, b = doc["assertions"][0], doc["assertions"][1]
    a["supersedes"], b["supersedes"] = b["id"], a["id"]
    with pytest.raises(InvalidInput, match="cycle"):
        _import(ws, json.dumps(doc))


def test_organisations_import_parents_first_whatever_their_ids(ws: Workspace) -> None:
    """A unit whose id sorts before its parent's, and an involvement naming the unit: the
    import placed the involvement before the unit (refused as 'no organisation')."""
    with ws.session() as s:
        case = create_case(s, "Units", actor="t")
        book = Records(s, case.id, "t", ws.vocabularies(s))
        event = book.add("event", facts={"title": "E"})
        act = book.add("act", refs={"event": event.id})
        group = book.add("organisation", id="ffff-group", facts={"name": "G"})
        unit = book.add("organisation", id="0000-unit", refs={"parent": group.id},
                        facts={"name": "U"})  # fmt: skip
        book.add("involvement", refs={"act": act.id, "organisation": unit.id})
        doc = exchange.export_case(s, case.id)
    doc["case"]["id"] = str(uuid.uuid4())
    text = json.dumps(doc).replace("ffff-group", "ffff-group-2").replace("0000-unit", "0000-unit-2")
    doc = _rekey(json.loads(text))
    case_id = _import(ws, json.dumps(doc))
    assert _export(ws, case_id).count('"kind": "involvement"') == 1


def test_a_long_correction_chain_is_ordered_without_recursion(
    ws: Workspace, good_doc: dict[str, Any]
) -> None:
    """5,000 corrections of one fact: ordering them recursed once per link, so the
    import ended in a RecursionError traceback. The chain here names a field the record
    lacks, so the import stops, located, at its first link once the order is made (a
    whole chain written would take minutes of this test)."""
    doc = copy.deepcopy(good_doc)
    title = doc["assertions"][_assertion_index(doc, "title")]
    previous = title["id"]
    for n in range(5000):
        entry = dict(title, id=str(uuid.uuid4()), field="shoe_size", value=f"{n}",
                     supersedes=previous)  # fmt: skip
        doc["assertions"].append(entry)
        previous = entry["id"]
    doc["assertions"].reverse()  # the newest first: every link points forward
    before = _state(ws)
    with pytest.raises(InvalidInput, match="no field 'shoe_size'") as err:
        _import(ws, json.dumps(doc))
    assert err.value.path == f"$.assertions[{5000 - 1}].field"
    assert _state(ws) == before


@pytest.mark.parametrize(
    ("where", "bad", "says"),
    [
        (["case", "created_at"], "2025-03-07T10:00:00", "timezone"),
        (["case", "created_at"], "0001-01-01T00:00:00+05:00", "years 1 to 9999"),
        (["case", "id"], "x" * 37, "at most 36"),
        (["case", "title"], "a\x00b", "NUL"),
        (["case", "description"], "\ud800", "lone surrogate"),
        (["case", "title"], "   ", "1 to 500 characters"),  # was located at 'title'
    ],
)
def test_values_the_database_would_refuse_are_located(
    ws: Workspace, good_doc: dict[str, Any], where: list[str], bad: str, says: str
) -> None:
    """Each reached the database before: a StorageError with no location (PostgreSQL:
    all five; SQLite: the timestamps) or stored as it was (SQLite: NUL, long ids)."""
    doc = copy.deepcopy(good_doc)
    _set(where, bad)(doc)
    before = _state(ws)
    with pytest.raises(InvalidInput, match=says) as err:
        _import(ws, json.dumps(doc).encode("utf-8", "surrogatepass"))
    assert err.value.path == "$." + ".".join(where)
    assert _state(ws) == before
