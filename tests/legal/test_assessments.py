"""Assessments link to evidence items of their own case only (read through
dalil.vault.holdings), and the case book lists a case's items in ingest order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dalil.errors import InvalidInput, NotFound
from dalil.legal import assessments
from dalil.legal.assessments import Link
from dalil.legal.casebook import CaseBook
from dalil.records import Records
from dalil.records.cases import create_case
from dalil.vault.service import Vault
from dalil.workspace import Workspace

MURDER_WC = "8-2-c-i-murder"
OK: dict[str, Any] = {"status": "supported", "standard": "reasonable_grounds", "actor": "lawyer"}


def test_evidence_links_stay_inside_the_case(ws: Workspace, vault: Vault, tmp_path: Path) -> None:
    with ws.session() as s:
        case = create_case(s, "Evidence links", actor="t").id
        other = create_case(s, "Another case", actor="t").id
        event = Records(s, case, "t").add("event", facts={"title": "Shelling"}).id
    items = []
    for n, (where, body) in enumerate([(case, b"photo"), (case, b"video"), (other, b"x")]):
        f = tmp_path / f"item{n}.bin"
        f.write_bytes(body)
        items.append(vault.add(where, f, "t").item_id)
    with ws.session() as s:
        book = CaseBook.load(s, case)
        assert [i.id for i in book.items] == items[:2]  # ingest order, this case only
        made = assessments.assess(
            s, case, event, MURDER_WC, "killed", links=[Link("evidence", items[1])], **OK
        )
        assert made.links == [{"kind": "evidence", "id": items[1]}]
        with pytest.raises(NotFound, match="no evidence"):
            assessments.assess(
                s, case, event, MURDER_WC, "killed", links=[Link("evidence", items[2])], **OK
            )
        with pytest.raises(InvalidInput, match="a link is to"):
            assessments.assess(
                s,
                case,
                event,
                MURDER_WC,
                "killed",
                links=[Link("ledger", items[0])],  # type: ignore[arg-type]
                **OK,
            )
