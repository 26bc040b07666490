"""The existence and identifiability checks of a model fit: the shortcuts that spare the
linear program must never change its answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dalil.estimate import loglinear
from dalil.estimate.captures import CaptureTable, all_patterns, read_csv
from dalil.estimate.existence import Checker, lp_exists
from dalil.estimate.fitting import NO_MLE, NOT_IDENTIFIABLE, Engine
from dalil.estimate.models import Model, design, ordered

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mse"


def table(name: str) -> CaptureTable:
    return read_csv(FIXTURES / f"{name}.csv")


def pairs(*names: str) -> Model:
    return Model(frozenset(frozenset(int(c) - 1 for c in n) for n in names))


def test_artificial_three_lists_as_chan_silverman_vincent_table_3() -> None:
    # CSV 2021 Table 2/3 (MultipleSystemsEstimation's check_extended_MLE examples)
    t = table("artificial_3_identifiability")
    engine = Engine(t)
    assert engine.fit(pairs("12", "13", "23")).reason == NOT_IDENTIFIABLE
    assert engine.fit(pairs("12")).reason == NO_MLE
    assert engine.fit(pairs("13", "23")).ok


def linear_program_only(t: CaptureTable, model: Model, counts: np.ndarray) -> bool:
    """The plain rule with no shortcut: the kept design's rank, then the program."""
    terms = ordered(model.terms)
    x = design(t.patterns, terms)
    y = counts.astype(float)
    fixed = [i for i, term in enumerate(terms) if y[t.patterns[:, sorted(term)].all(1)].sum() == 0]
    keep = np.ones(len(y), dtype=bool)
    for i in fixed:
        keep &= ~t.patterns[:, sorted(terms[i])].all(1)
    cols = [c for c in range(x.shape[1]) if c - 1 - t.j not in fixed]
    xk = x[keep][:, cols]
    if np.linalg.matrix_rank(xk) < xk.shape[1]:
        return False
    return lp_exists(xk, y[keep])


@pytest.mark.parametrize(
    "name", ["uk_slavery_2013_5lists", "new_orleans_trafficking_5lists", "korea_palembang_3lists"]
)
def test_shortcuts_agree_with_the_linear_program_on_every_model(name: str) -> None:
    t = table(name)
    rng = np.random.default_rng(7)
    # the observed table and two resamples, with one engine, as a bootstrap uses it
    samples = [t.counts] + [rng.multinomial(t.n, t.counts / t.n) for _ in range(2)]
    engine = Engine(t, Checker())
    models = loglinear.hierarchical_models(t.j, 2)
    for counts in samples:
        for model in models:
            got = engine.fit(model, counts)
            assert got.ok == linear_program_only(t, model, counts), model.label(t.lists)
    assert engine.checker.programs < len(models)  # the shortcuts did spare programs


def test_answers_are_reused_for_fewer_zeros_and_for_more_zeros() -> None:
    # cells 0..3; a design where a zero in cell 3 alone is fine but zeros in 2 and 3 fail
    x = np.array([[1, 0], [1, 0], [1, 1], [1, 1]], dtype=float)
    checker = Checker()
    assert checker.solve(cells=0b1111, columns=0b11, zeros=0b1100,
                         x=x, y=np.array([3.0, 2.0, 0.0, 0.0])) is False  # fmt: skip
    assert checker.known(0b1111, 0b11, 0b1100) is False
    assert checker.known(0b1111, 0b11, 0b1110) is False  # more zeros: still fails
    assert checker.known(0b1111, 0b11, 0b1000) is None  # fewer zeros: not implied
    assert checker.solve(0b1111, 0b11, 0b1000, x, np.array([3.0, 2.0, 1.0, 0.0])) is True
    assert checker.known(0b1111, 0b01, 0b1000) is True  # a smaller model: implied
    assert checker.known(0b0111, 0b11, 0b1000) is None  # other kept cells: never mixed
    assert checker.programs == 2


@pytest.mark.parametrize("scale", [1, 10**5, 10**7])
def test_shortcuts_hold_on_large_sparse_tables(scale: int) -> None:
    # a diverging fit stops with its vanishing cells near 1e-10 of the deviance, which on
    # a table of millions is well above a fixed threshold: the shortcut must scale with n
    rng = np.random.default_rng(scale)
    models = loglinear.hierarchical_models(4, 2)
    for _ in range(8):
        counts = rng.integers(1, 6, size=15) * (rng.random(15) < 0.45) * scale
        if counts.sum() == 0:
            continue
        t = CaptureTable(("A", "B", "C", "D"), all_patterns(4), counts.astype(np.int64))
        engine = Engine(t, Checker())
        for model in models:
            assert engine.fit(model).ok == linear_program_only(t, model, t.counts), model
