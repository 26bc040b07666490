"""A linkage run's scored pairs and decisions as estimation reads them
(dalil.linkage.captures.case_doubt), on a workspace linked for real."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from dalil.errors import NotFound
from dalil.intake.victim_lists import read_list
from dalil.linkage import captures, synth
from dalil.linkage import service as linkage
from dalil.linkage.engine import record_key
from dalil.records import cases
from dalil.workspace import Workspace


def linked_case(ws: Workspace, folder: Path, people: int = 300, seed: int = 3) -> str:
    """A case with three generated lists, linked once."""
    lists = synth.generate(people, 3, seed=seed)
    with ws.session() as s:
        case_id = cases.create_case(s, "Linkage doubt", actor="t").id
        for path in lists.write(str(folder)):
            source = Path(path).stem
            linkage.import_list(s, case_id, source, read_list(Path(path)), "t")
        linkage.run_linkage(s, case_id, "t")
    return case_id


def test_the_pairs_rebuild_the_run_and_decisions_bind_the_draws(
    ws: Workspace, tmp_path: Path
) -> None:
    case_id = linked_case(ws, tmp_path)
    with ws.session() as s:
        run = linkage.latest_run(s, case_id)
        members = linkage.persons(s, run.id)
        doubt = captures.case_doubt(s, case_id)
        sources = sorted(vl.source for vl in linkage.lists(s, case_id))

    assert doubt.run_id == run.id and doubt.lists == tuple(sources)
    assert doubt.decisions == () and doubt.decided_since_run == 0
    keys = {record_key(src, rid) for recs in members.values() for src, rid in recs}
    assert set(doubt.records) == keys
    cfg = doubt.config
    for a, b, p in doubt.pairs:
        assert a < b and a in keys and b in keys and 0 <= p <= 1
        assert p >= cfg.predict_floor
    # scored again with the stored model, the pairs rebuild the run's persons exactly
    run_histories = Counter(linkage.capture_histories(members, sources).values())
    assert doubt.best() == run_histories
    assert doubt.uncertain_pairs() > 0

    # a reviewer splits a strong pair after the run: every draw keeps the two apart
    a, b, strongest = max((t for t in doubt.pairs if t[2] < 1), key=lambda t: t[2])
    with ws.session() as s:
        linkage.decide(s, case_id, a, b, "no_match", "reviewer")
    assert strongest >= cfg.review_low
    with ws.session() as s:
        later = captures.case_doubt(s, case_id)
    assert later.decided_since_run == 1 and later.decisions == ((a, b, "no_match"),)
    assert later.uncertain_pairs() == doubt.uncertain_pairs() - 1  # the pair is decided
    for persons in later.draw_persons(20, np.random.default_rng(5)):
        assert persons[a] != persons[b]
        assert set(persons) == keys


def test_an_unlinked_case_has_no_doubt(ws: Workspace) -> None:
    with ws.session() as s:
        case_id = cases.create_case(s, "Unlinked", actor="t").id
    with ws.session() as s, pytest.raises(NotFound, match="not been linked"):
        captures.case_doubt(s, case_id)


def test_a_run_whose_rules_block_on_key_columns_is_scored_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with a tiny pair budget every rule is tightened block by block and blocks on a key
    # column that planning adds; the stored model must score the same rows again
    from dalil.linkage import blocking
    from dalil.linkage.engine import LinkageConfig, link
    from dalil.places.index import PlaceIndex

    monkeypatch.setattr(blocking, "PAIR_FLOOR", 0)
    data = synth.generate(200, 3, seed=7)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    config = LinkageConfig(pairs_per_record=1)
    result = link(rows, config)
    assert any(r.startswith("block_") for r in result.scored.model["dalil_training"]["blocking"])
    again = captures._rescore(rows, config, result.scored.model, PlaceIndex.packaged())
    scored = result.scored.pairs
    ids = zip(scored.unique_id_l, scored.unique_id_r, strict=True)
    first = {(min(a, b), max(a, b)) for a, b in ids}
    assert first <= {(a, b) for a, b, _ in again}
