"""Export of capture histories and the fitted model for Rcapture, SparseMSE, LCMCR (R not run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dalil.errors import InvalidInput
from dalil.estimate import export
from dalil.estimate.captures import CaptureTable, parse_csv, read_csv
from dalil.estimate.estimates import Estimate
from dalil.estimate.strata import Stratified

KOSOVO = Path(__file__).parent.parent / "fixtures" / "mse" / "kosovo_1999.csv"


def t(*pairs: int) -> frozenset[int]:
    return frozenset(pairs)


def loglinear_estimate(table: CaptureTable, label: str, **diagnostics: object) -> Estimate:
    return Estimate(
        "loglinear",
        label,
        table.n,
        10356.6,
        (7355.4, 16388.5),
        0.95,
        table.lists,
        {"selection": "bic", "profile_interval": [8994.3, 12110.4], **diagnostics},
    )


def test_the_csv_round_trips_through_dalils_reader_with_every_history() -> None:
    table = read_csv(KOSOVO)
    text = export.captures_csv(table)
    lines = text.splitlines()
    assert lines[0] == "EXH,ABA,OSCE,HRW,count"
    assert lines[1] == "1,1,1,1,27" and lines[-1] == "0,0,0,1,306"
    assert len(lines) == 1 + 15
    back = parse_csv(text)
    assert back.lists == table.lists
    assert np.array_equal(back.counts, table.counts)


def test_zero_histories_and_awkward_list_names_survive() -> None:
    table = CaptureTable.from_counts(
        ["=HYPERLINK(x)", "a, b", "ج"], {(1, 0, 0): 4, (0, 1, 0): 3, (1, 1, 1): 2}
    )
    text = export.captures_csv(table)
    assert text.count("\n") == 8  # header and 7 histories, four of them with no one
    assert "\n0,1,1,0\n" in text
    back = parse_csv(text)
    assert back.lists == table.lists and np.array_equal(back.counts, table.counts)


@pytest.mark.parametrize(
    ("terms", "j", "expected"),
    [
        ((), 4, "[1,2,3,4]"),
        ((t(0, 1), t(1, 2)), 4, "[12,23,4]"),
        ((t(0, 1), t(0, 2), t(1, 2), t(0, 1, 2)), 4, "[123,4]"),
        ((t(0, 1, 2),), 4, "[123,4]"),  # lower-order terms implied
        ((t(0, 1), t(0, 2), t(1, 2)), 3, "[12,13,23]"),
        ((t(1, 2),), 3, "[23,1]"),  # as MultipleSystemsEstimation prints it
        ((t(0, 3), t(2, 4)), 5, "[14,35,2]"),
        ((t(0, 1),), 10, None),  # one digit per list: not beyond nine
    ],
)
def test_hierarchical_notation(terms: tuple[frozenset[int], ...], j: int, expected: str) -> None:
    assert export.hierarchy(terms, j) == expected


def test_labels_parse_back_to_terms_and_formulas() -> None:
    lists = ("EXH", "ABA", "OSCE", "HRW")
    terms = export.parse_label("EXH:ABA + EXH:OSCE + ABA:OSCE + EXH:ABA:OSCE", lists)
    assert terms == frozenset({t(0, 1), t(0, 2), t(1, 2), t(0, 1, 2)})
    assert export.hierarchy(terms or (), 4) == "[123,4]"
    assert export.rcapture_formula(terms or ()) == "~ . + c1:c2 + c1:c3 + c2:c3 + c1:c2:c3"
    assert export.parse_label("main effects", lists) == frozenset()
    assert export.rcapture_formula(()) == "~ ."
    assert export.parse_label("latent classes, K = 10", lists) is None
    assert export.parse_label("EXH:UNKNOWN", lists) is None


def test_the_three_files_are_written(tmp_path: Path) -> None:
    table = read_csv(KOSOVO)
    result = loglinear_estimate(table, "EXH:ABA + EXH:OSCE + ABA:OSCE", fixed_terms=[])
    written = export.write(tmp_path / "out", result, {"all": table})
    assert sorted(p.name for p in written) == ["captures.csv", "check.R", "model.json"]
    record = json.loads((tmp_path / "out" / "model.json").read_text(encoding="utf-8"))
    assert record["method"] == "loglinear" and record["hierarchy"] == "[12,13,23,4]"
    assert record["lists"] == ["EXH", "ABA", "OSCE", "HRW"]
    assert record["estimate"] == 10356.6 and record["interval"] == [7355.4, 16388.5]
    assert record["settings"]["profile_interval"] == [8994.3, 12110.4]
    script = (tmp_path / "out" / "check.R").read_text(encoding="utf-8")
    assert 'read.csv("captures.csv"' in script
    assert 'model <- "[12,13,23,4]"' in script and "estimate_population_fixed" in script
    assert "closedpCI.t(d, dfreq = TRUE, mX = ~ . + c1:c2 + c1:c3 + c2:c3)" in script
    assert read_csv(tmp_path / "out" / "captures.csv").n == table.n


def test_a_term_over_lists_that_share_nobody_is_flagged_for_rcapture(tmp_path: Path) -> None:
    table = read_csv(KOSOVO)
    fixed = [{"term": "EXH:ABA", "why": "these lists share no documented person"}]
    result = loglinear_estimate(table, "EXH:ABA", fixed_terms=fixed)
    export.write(tmp_path, result, {"all": table})
    assert "# NOTE: EXH:ABA share nobody" in (tmp_path / "check.R").read_text(encoding="utf-8")


def test_lcmcr_and_dga_scripts_use_their_packages(tmp_path: Path) -> None:
    table = read_csv(KOSOVO)
    lcm = Estimate("lcmcr", "latent classes, K = 10", table.n, 12000.0, (9000.0, 16000.0),
                   0.95, table.lists, {"K": 10, "burnin": 10000, "samples": 1000,
                                       "thinning": 100, "chains": 3})  # fmt: skip
    export.write(tmp_path / "lcmcr", lcm, {"all": table})
    script = (tmp_path / "lcmcr" / "check.R").read_text(encoding="utf-8")
    assert "d[rep(seq_len(nrow(d)), d$count), lists, drop = FALSE]" in script
    assert "lcmCR(persons, K = 10" in script and "thinning = 100" in script
    record = json.loads((tmp_path / "lcmcr" / "model.json").read_text(encoding="utf-8"))
    assert record["hierarchy"] is None and record["settings"]["K"] == 10
    dga = Estimate("dga", "BMA", table.n, 12595.0, (9827.0, 16544.0), 0.95, table.lists,
                   {"delta": 0.0625, "prior": "1/N", "grid_max": 44000})  # fmt: skip
    export.write(tmp_path / "dga", dga, {"all": table})
    script = (tmp_path / "dga" / "check.R").read_text(encoding="utf-8")
    assert "Nmissing <- 0:39600" in script and "delta = 0.0625" in script


def test_a_file_is_refused_as_the_export_folder(tmp_path: Path) -> None:
    table = read_csv(KOSOVO)
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidInput) as err:
        export.write(tmp_path / "file", loglinear_estimate(table, "main effects"), {"all": table})
    assert err.value.path == "--export"
    with pytest.raises(InvalidInput):
        export.check_folder(tmp_path / "file" / "below")


def test_strata_get_a_folder_each_and_an_index(tmp_path: Path) -> None:
    table = read_csv(KOSOVO)
    est = loglinear_estimate(table, "main effects")
    result = Stratified(
        20000.0,
        (15000.0, 30000.0),
        0.95,
        "loglinear",
        {"Latakia / female": est, "ذكر": est},
        {"Tartus / F": "only 1 non-empty list(s)"},
        5,
    )
    tables = {"Latakia / female": table, "ذكر": table}
    export.write(tmp_path, result, tables)
    index = json.loads((tmp_path / "strata.json").read_text(encoding="utf-8"))
    assert index["strata"] == {"Latakia / female": "Latakia_female", "ذكر": "ذكر"}
    assert index["refused_strata"] == {"Tartus / F": "only 1 non-empty list(s)"}
    for folder in index["strata"].values():
        assert read_csv(tmp_path / folder / "captures.csv").n == table.n


class Doubted(Estimate):
    """An estimate combined over linkage draws, as dalil.estimate.linkage_draws reports it."""

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {
            "linkage_doubt": {
                "draws": 10,
                "rule": "mixture",
                "linkage_blind_estimate": 10356.6,
                "linkage_blind_interval": [7355.4, 16388.5],
            }
        }


def test_with_linkage_draws_r_is_compared_with_the_linkage_blind_fit() -> None:
    table = read_csv(KOSOVO)
    plain = loglinear_estimate(table, "main effects")
    doubted = Doubted(plain.method, plain.model, plain.observed, 10500.0, (7000.0, 17500.0),
                      0.95, plain.lists, plain.diagnostics)  # fmt: skip
    record = export.model_record(doubted)
    assert record["estimate"] == 10356.6 and record["interval"] == [7355.4, 16388.5]
    assert record["with_linkage_doubt"] == {
        "estimate": 10500.0,
        "interval": [7000.0, 17500.0],
        "draws": 10,
        "rule": "mixture",
    }
    assert "with_linkage_doubt" not in export.model_record(plain)
