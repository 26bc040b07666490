"""Record values said on a page in its language: interface words from the catalogue, codes
by their vocabulary label, numbers, dates and names isolated as data; and the record pages
of the demo in Arabic hold no English interface text in their main part."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.model.tables import Case, Record
from dalil.model.values import Affiliation, UncertainCount, UncertainDate
from dalil.model.words import Term
from dalil.records.overview import describe
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.web.record_shared import FSI, PDI, say_html, say_plain
from dalil.workspace import Workspace
from test_crawl import untranslated
from tests_support import World

WEEK = UncertainDate.between(date(2025, 3, 6), date(2025, 3, 8))


def test_a_count_in_arabic_keeps_its_qualifier_and_isolates_its_number() -> None:
    said = say_html(describe(UncertainCount.from_reported("more than 100")), "ar")
    assert said == 'القتلى: أكثر من <bdi dir="auto">100</bdi> (مُبلَّغ عنه من مصدر)'
    english = say_html(describe(UncertainCount.exactly(150, count_kind="documented")), "en")
    assert english == '<bdi dir="auto">150</bdi> killed (Documented by this team)'


def test_a_date_range_reads_from_to_with_its_precision_by_label() -> None:
    assert say_html(describe(WEEK), "ar") == (
        'من <bdi dir="auto">2025-03-06</bdi> إلى <bdi dir="auto">2025-03-08</bdi> (خلال أسبوع)'
    )
    assert (
        say_plain(describe(WEEK), "ar")
        == f"من {FSI}2025-03-06{PDI} إلى {FSI}2025-03-08{PDI} (خلال أسبوع)"
    )


def test_codes_are_labels_and_data_is_escaped() -> None:
    period = UncertainDate.between(date(2025, 1, 1), date(2025, 1, 31), "month")
    said = say_html(describe(Affiliation(status="tolerated", period=period)), "ar")
    assert said.startswith("تتسامح معه الدولة (") and "tolerated" not in said
    assert say_html(Term("female", "sex"), "ar") == "أنثى"
    assert say_html(Term("burial_site"), "ar") == "موقع دفن"  # a record kind, through t
    assert say_html("<b>Ayn</b>", "ar") == '<bdi dir="auto">&lt;b&gt;Ayn&lt;/b&gt;</bdi>'


# -- the demo's record pages in Arabic ------------------------------------------------------


@pytest.fixture
def demo(demo_ws: Workspace, demo_vault: Vault) -> Iterator[tuple[TestClient, str]]:
    """A signed-in investigator of the demo case (API token), reading in Arabic."""
    with demo_ws.session() as s:
        case = s.scalars(select(Case.id)).one()
        user = s.scalar(select(User).where(User.name == "words-tester"))
        if user is None:
            user = accounts.add_user(s, "words-tester", "words tester password")
            policy.add_member(s, case, user, "investigator", "t")
        token = accounts.create_token(s, user)
    with TestClient(create_app(workspace=demo_ws, vault=demo_vault),
                    base_url="https://testserver") as c:  # fmt: skip
        c.headers["Authorization"] = f"Bearer {token}"
        c.cookies.set("dalil_lang", "ar")
        yield c, case


def _main(page: str) -> str:
    """The page's own part (the frame around it is not the record pages')."""
    found = re.search(r"<main\b.*?</main>", page, re.S)
    assert found is not None
    return found.group(0)


def test_record_pages_in_arabic_have_no_english_in_their_main_part(
    demo: tuple[TestClient, str], demo_ws: Workspace
) -> None:
    c, case = demo
    with demo_ws.session() as s:
        first = {
            kind: s.scalars(
                select(Record.id)
                .where(Record.case_id == case, Record.kind == kind)
                .order_by(Record.label, Record.id)
            ).first()
            for kind in ("event", "person", "organisation", "place", "burial_site", "source",
                         "information_record", "act", "involvement", "interview")
        }  # fmt: skip
    pages = [f"/cases/{case}{tail}" for tail in ("/incidents", "/organisations", "/places",
                                                 "/sources", "/burial-sites")]  # fmt: skip
    pages += [
        f"/cases/{case}/incidents/{first['event']}",
        f"/cases/{case}/persons/{first['person']}",
    ]
    pages += [
        f"/cases/{case}/records/{i}" for k, i in first.items() if k not in ("event", "person")
    ]
    english = {}
    for url in pages:
        page = c.get(url)
        assert page.status_code == 200, url
        english.update({text: url for text in untranslated(_main(page.text))})
    assert english == {}
    umbrella = c.get(f"/cases/{case}/incidents/{first['event']}").text
    assert "القتلى: أكثر من <bdi" in umbrella and "(خلال أسبوع)" in umbrella


def test_a_refused_value_is_explained_in_arabic_beside_the_form(world: World) -> None:
    """A count without a number, on an incident's assertion form in Arabic: refused, with
    the library's message said from the catalogue, and the record values of the correction
    form's options marked as data (grouped under their field's name)."""
    c, a, inv = world.client, world.a, world.h("investigator")
    facts = {"title": "Shelling of the market", "casualties": {"low": 31, "qualifier": "more_than"}}
    made = c.post(f"/api/v1/cases/{a}/records", headers=inv, json={"kind": "event", "facts": facts})
    url = f"/cases/{a}/incidents/{made.json()['id']}"
    bad = c.post(f"{url}/assertions?lang=ar", headers=inv,
                 data={"field": "casualties", "value": "many"})  # fmt: skip
    assert bad.status_code == 400
    assert "العدد يحتاج إلى رقم، مثل «أكثر من 100»" in bad.text
    assert "a count needs a number" not in bad.text
    page = c.get(f"{url}?lang=ar", headers=inv).text
    assert re.search(r'<optgroup label="[^"]+">\s*<option value="[^"]+" translate="no"', page)
    assert "القتلى: أكثر من \u2068" in page  # an option is plain text: the number isolated
