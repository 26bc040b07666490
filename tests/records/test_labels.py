"""Pseudonymous labels (dalil.records.labels): numbered per protection level from the count
of persons at that level, never reusing a label a record already holds."""

from __future__ import annotations

from dalil.records import Records, cases
from dalil.records.labels import label_taken, next_pseudonym
from dalil.workspace import Workspace


def test_pseudonyms_count_per_level_and_skip_labels_in_use(ws: Workspace) -> None:
    with ws.session() as s:
        case_id = cases.create_case(s, "Labels", actor="t").id
        book = Records(s, case_id, "t")
        assert book.add("person").label == "P-0001"
        assert book.add("person", label="P-0003").label == "P-0003"  # chosen by hand
        assert book.add("person").label == "P-0002"
        assert book.add("person").label == "P-0004"  # P-0003 is taken: skipped
        assert book.add("person", protection_level="protected").label == "W-001"
        assert book.add("person", protection_level="restricted").label == "W-002"
        assert label_taken(s, case_id, "person", "W-002")
        assert not label_taken(s, case_id, "place", "W-002")  # labels are unique per kind
        counters: dict[str, int] = {}
        assert next_pseudonym(s, case_id, "public", counters) == "P-0005"  # 4 counted, +1
        assert counters == {"P-": 6}  # remembered: the next call does not count again
        other = cases.create_case(s, "Other", actor="t").id
        assert next_pseudonym(s, other, "protected", {}) == "W-001"  # per case
