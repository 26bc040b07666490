"""The Splink model: unsupervised training and scoring of candidate pairs.

Splink-specific code lives here and in the modules this one puts together: the
comparisons (:mod:`dalil.linkage.comparisons`), blocking within a pair budget
(:mod:`dalil.linkage.blocking`) and the DuckDB or Spark backend
(:mod:`dalil.linkage.backends`). Training follows Splink's recipe
(../design/linkage.md §2): the match rate from deterministic rules, u by random sampling,
m by two EM sessions on different blocks, with fixed priors where unsupervised EM is known
to go wrong on victim lists (siblings).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dalil.errors import Conflict, InvalidInput
from dalil.linkage.backends import connect, quicker_exact_match_test, register
from dalil.linkage.blocking import SWAPPED_BLOCK, block_pairs, plan_blocking, rule_sql
from dalil.linkage.comparisons import ANOTHER_NAME_M, FIXED_ELSE_M, comparisons
from dalil.linkage.config import DEFAULT, LinkageConfig
from dalil.linkage.features import FEATURES_VERSION
from dalil.linkage.random_pairs import estimate_u
from dalil.linkage.threshold import GRID


def _settings(config: LinkageConfig, rules: Sequence[tuple[str, ...]], present: set[str]) -> Any:
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule
    from splink.internals.dialects import SplinkDialect

    compared = comparisons(config, present)
    duckdb = SplinkDialect.from_string("duckdb")
    levels = {  # each comparison's conditions but "else", for the blocking rules' filter
        c.create_output_column_name(): [
            sql for lv in c.create_comparison_levels() if (sql := lv.create_sql(duckdb)) != "ELSE"
        ]
        for c in compared
        if config.backend == "duckdb"  # Spark lacks the functions under these names
    }
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            *(CustomRule(rule_sql(cols, levels), "duckdb") for cols in rules),
            *([CustomRule(SWAPPED_BLOCK, "duckdb")] if config.swapped_names else []),
            # an extra column is identifying by definition: equal values make a candidate
            *(block_on(f"x_{col}") for col in config.extra_columns),
        ],
        comparisons=compared,
        retain_intermediate_calculation_columns=config.keep_comparison_vectors,
        retain_matching_columns=False,
        max_iterations=12,
    )


def _linker(data: Any, model: dict[str, Any]) -> Any:
    """A Linker on a model this module made: its settings were validated when training
    began, and validating them again costs 0.3 s of sqlglot parsing a time (profiled)."""
    from splink import Linker

    return Linker(data, model, log_level=logging.WARNING, validate_settings=False)


@dataclass
class Scored:
    """Scored candidate pairs and the model that scored them."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, gamma_* columns
    model: dict[str, Any]
    candidate_pairs: int
    #: The number of matches the model expects among the candidate pairs scored at or
    #: above the prediction floor: their probabilities summed, a record's at most 1 per
    #: other list (:data:`_EXPECTED_MATCHES_SQL`).
    expected_matches: float = 0.0


def score(
    prepared: pd.DataFrame,
    config: LinkageConfig = DEFAULT,
    *,
    matches: Sequence[tuple[str, str]] = (),
    say: Callable[[str], None] = lambda _msg: None,
) -> Scored:
    """Train the model without labels and score the candidate pairs.

    Training runs on a random sample of at most ``config.train_records`` records (the
    match rate and the m and u probabilities do not depend on list size; the sample keeps
    EM's blocks small on million-record list sets); term frequencies and scoring use every
    record. ``matches`` (record key pairs a reviewer confirmed as one person) then move the
    m probabilities towards those of the confirmed pairs (:func:`_learn_from_reviews`).
    ``Scored.pairs`` holds only the pairs clustering can use (see
    :data:`_PAIRS_THAT_MATTER_SQL`) unless ``config.predict_floor`` is 0, when it holds every
    candidate pair.
    """
    with quicker_exact_match_test():
        return _score(prepared, config, matches, say)


def _score(
    prepared: pd.DataFrame,
    config: LinkageConfig,
    matches: Sequence[tuple[str, str]],
    say: Callable[[str], None],
) -> Scored:
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    if len(prepared) < 2:
        return Scored(_empty_pairs(), {}, 0)
    present = {c for c in prepared.columns if prepared[c].notna().any()}
    rules, notes = plan_blocking(prepared, config, present)
    for note in notes:
        say(note)
    backend = connect(config)
    sample = prepared
    if len(prepared) > config.train_records:
        sample = prepared.sample(config.train_records, random_state=config.seed)
        say(f"training on a random sample of {len(sample):,} records")
    registered = register(backend, sample, config)
    # Linker's default log level is INFO, which would undo the WARNING set above
    trainer = Linker(registered, _settings(config, rules, present), log_level=logging.WARNING)
    trainer, sessions = _train(trainer, registered, sample, present, config, say)
    model = trainer.misc.save_model_to_json()
    linker = trainer
    full = registered if sample is prepared else register(backend, prepared, config)
    known = set(prepared["unique_id"])
    matches = [(a, b) for a, b in matches if a in known and b in known]  # lists may change
    if not config.learn_from_reviews:
        matches = []
    if matches:
        say(f"learning from {len(matches):,} reviewed matches")
        model = _learn_from_reviews(_linker(full, model), model, matches)
    if full is not registered or matches:
        linker = _linker(full, model)
    say("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=config.predict_floor or None)
    counted = predictions.query_sql(_EXPECTED_MATCHES_SQL).as_pandas_dataframe()
    total, expected = int(counted["n"][0]), float(counted["s"][0])
    if config.predict_floor:
        keep = min(config.review_low, GRID[0] if config.threshold is None else config.threshold)
        predictions = predictions.query_sql(_PAIRS_THAT_MATTER_SQL.format(keep=keep))
    pairs: pd.DataFrame = predictions.as_pandas_dataframe()
    model["dalil_training"] = {
        "records": len(prepared),
        "training_records": len(sample),
        "em_sessions": sessions,
        "u_max_pairs": config.u_max_pairs,
        "seed": config.seed,
        "fixed_m_else": FIXED_ELSE_M if config.fixed_disagreement_m else {},
        "fixed_m_another_name": ANOTHER_NAME_M if config.fixed_disagreement_m else {},
        "blocking": [" + ".join(r) for r in rules],
        "blocking_notes": notes,
        "reviewed_matches": len(matches),
        "features": FEATURES_VERSION,
    }
    return Scored(pairs, model, total, expected)


#: The number of candidate pairs and the matches the model expects among them. A list names
#: a person once, so a record has at most one match in another list: its probabilities
#: against that list's records are summed and capped at 1, and between two lists the
#: smaller of the two sides' capped sums is taken. Pairs within one list count in full.
#: Why: the plain sum of probabilities overcounts siblings and namesakes (by 8-9 % on the
#: second generator's development lists, 0.2-1.6 % with the caps; docs/benchmarks.md),
#: which made every run's expected recall .06-.08 too low.
_EXPECTED_MATCHES_SQL = """
with p as (
  select unique_id_l as l, unique_id_r as r, match_probability as m,
         split_part(unique_id_l, chr(31), 1) as sl, split_part(unique_id_r, chr(31), 1) as sr
  from {this}
),
x as (
  select least(sl, sr) as lx, greatest(sl, sr) as ly, m,
         case when sl < sr then l else r end as a, case when sl < sr then r else l end as b
  from p where sl <> sr
),
side_a as (
  select lx, ly, sum(c) as t from
  (select lx, ly, a, least(1.0, sum(m)) as c from x group by lx, ly, a) group by lx, ly
),
side_b as (
  select lx, ly, sum(c) as t from
  (select lx, ly, b, least(1.0, sum(m)) as c from x group by lx, ly, b) group by lx, ly
)
select (select count(*) from p) as n,
       coalesce((select sum(least(side_a.t, side_b.t)) from side_a join side_b
                 on side_a.lx = side_b.lx and side_a.ly = side_b.ly), 0)
       + coalesce((select sum(m) from p where sl = sr), 0) as s
"""

#: Pairs clustering can use: those that may merge or be reviewed, and every lower-scored
#: pair between records that appear in one of those (only they can veto a merge, or be a
#: record's runner-up candidate for :func:`dalil.linkage.clusters.mutual_best`). Filtering
#: in the database keeps millions of irrelevant low pairs out of Python.
_PAIRS_THAT_MATTER_SQL = """
with keep as (select * from {{this}} where match_probability >= {keep}),
ids as (select unique_id_l as id from keep union select unique_id_r from keep)
select * from keep
union all
select * from {{this}} p
where p.match_probability < {keep}
  and p.unique_id_l in (select id from ids) and p.unique_id_r in (select id from ids)
"""


def _train(
    linker: Any,
    data: Any,
    sample: pd.DataFrame,
    present: set[str],
    config: LinkageConfig,
    say: Callable[[str], None],
) -> tuple[Any, list[str]]:
    from splink import block_on

    say("estimating the match rate")
    deterministic = [r for r in DETERMINISTIC_RULES if set(r) <= present]
    if not deterministic:
        raise InvalidInput("the lists share no name columns to link on", path="full_name")
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*r) for r in deterministic], recall=0.7
    )
    model = linker.misc.save_model_to_json()
    if not model.get("probability_two_random_records_match"):
        # No pair agrees on the deterministic rules (lists without any shared person, or a
        # single short list): Splink's estimate is 0, whose log breaks scoring. Expect one
        # match among all pairs instead, the least a non-zero rate can say.
        pairs = max(1, len(sample) * (len(sample) - 1) // 2)
        model["probability_two_random_records_match"] = 1 / (pairs + 1)
        linker = _linker(data, model)
    say("estimating u by random sampling")
    if config.backend == "duckdb":
        estimate_u(linker, sample, config.u_max_pairs, config.seed)
    else:  # Spark: Splink's estimator, on the cluster
        linker.training.estimate_u_using_random_sampling(
            max_pairs=config.u_max_pairs, seed=config.seed
        )
    return _train_m(linker, data, _em_sessions(sample, config, present), say)


#: Rules that almost only true matches satisfy; the share of pairs they find estimates the
#: match rate (assuming they find 70% of the matches).
DETERMINISTIC_RULES = (
    ("given_k", "father_k", "family_k"),
    ("given_k", "family_k", "dod_lo"),
    ("given_k", "family_k", "dob_lo"),
)
#: EM sessions in order of preference; two are run, on blocks rich in true matches that
#: leave different comparisons free to be estimated. A session whose columns a case's
#: lists do not have, or whose block is empty, is skipped and the next one tried.
EM_SESSIONS = (
    ("given_k", "family_k"),
    ("father_k", "dod_lo"),
    ("dob_lo",),
    ("dod_lo", "place"),
    ("family_k", "place"),
)


def _em_sessions(
    sample: pd.DataFrame, config: LinkageConfig, present: set[str]
) -> list[tuple[tuple[str, ...], int]]:
    """The sessions of :data:`EM_SESSIONS` whose columns the lists have, with the pairs
    of their blocks, each tightened
    with the governorate when its block holds more than ``config.pairs_per_record`` pairs
    per record: EM passes over every pair of its block up to a dozen times, and "same
    father's name, same day" is a block of millions on large lists (three quarters of
    the training time on 33,000 records, measured). A small block is left whole: on a few
    hundred records the tighter block can hold almost only exact matches, from which EM
    learns that a match never differs in its given name."""
    budget = config.pairs_per_record * len(sample)
    sessions: list[tuple[tuple[str, ...], int]] = []
    for cols in EM_SESSIONS:
        if not set(cols) <= present:
            continue
        pairs = block_pairs(sample, cols)
        if "gov" in present and pairs > budget:
            cols = (*cols, "gov")
            pairs = block_pairs(sample, cols)
        sessions.append((cols, pairs))
    return sessions


#: EM runs on at most about this many pairs of its block (Splink's hash sample of the
#: block's records): the m probabilities it learns are shares among the thousands of
#: matches such a sample still holds, and EM passes over its pairs a dozen times. On the
#: 20,000-person development lists "father + day of death + governorate" holds 809,000
#: pairs and took 1.5 s of a 6.3 s run; sampled, 0.4-0.7 s, F1 within .001.
EM_MAX_PAIRS = 200_000


def _train_m(
    linker: Any,
    data: Any,
    sessions: list[tuple[tuple[str, ...], int]],
    say: Callable[[str], None],
) -> tuple[Any, list[str]]:
    from splink import block_on
    from splink.internals.exceptions import EMTrainingException

    done: list[str] = []
    for cols, pairs in sessions:
        if len(done) == 2:
            break
        say(f"EM training blocked on {' + '.join(cols)}")
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols),
                estimate_without_term_frequencies=True,
                max_pairs=EM_MAX_PAIRS if pairs > EM_MAX_PAIRS else None,
            )
        except (EMTrainingException, ValueError):
            # An empty block, or (on very small lists) a level EM drives to m = 0, which
            # Splink refuses. A failed session can leave the model's comparisons half
            # changed, so go back to the model as it was and try the next session.
            linker = _linker(data, before)
            continue
        done.append(" + ".join(cols))
    return linker, done


#: Weight of the unsupervised estimates against reviewed matches, in pairs: with n
#: reviewed matches an m probability moves the share n / (n + REVIEW_PRIOR_PAIRS) of the
#: way to its value among them. Reviewed pairs are the queue's hard cases, not a sample
#: of all matches, so they correct the model rather than replace it.
REVIEW_PRIOR_PAIRS = 200


def _learn_from_reviews(
    linker: Any, model: dict[str, Any], matches: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """The model with each m probability moved towards its share among reviewed matches
    (Splink's estimate from pairwise labels, blended by :data:`REVIEW_PRIOR_PAIRS`), the
    free levels of each comparison rescaled to the total m they had (fixed levels keep
    theirs; levels no reviewed pair falls in move only by the rescaling). ``matches`` must
    name records of the lists at hand."""
    labels = pd.DataFrame(list(matches), columns=["unique_id_l", "unique_id_r"])
    table = linker.table_management.register_table(labels, "dalil_reviewed", overwrite=True)
    linker.training.estimate_m_from_pairwise_labels(table)
    learnt = linker.misc.save_model_to_json()
    share = len(matches) / (len(matches) + REVIEW_PRIOR_PAIRS)
    for before, after in zip(model["comparisons"], learnt["comparisons"], strict=True):
        pairs = zip(before["comparison_levels"], after["comparison_levels"], strict=True)
        free = [
            (old, new.get("m_probability"))
            for old, new in pairs
            if not old.get("is_null_level") and not old.get("fix_m_probability")
            and old.get("m_probability") is not None
        ]  # fmt: skip
        mass = sum(old["m_probability"] for old, _ in free)
        for old, m_new in free:
            if m_new:
                old["m_probability"] = (1 - share) * old["m_probability"] + share * m_new
        moved = sum(old["m_probability"] for old, _ in free)
        for old, _ in free:  # the fixed levels keep their share of the mass
            old["m_probability"] *= mass / moved if moved else 1.0
    return model


def stored_model(text: str) -> dict[str, Any]:
    """A stored run's model JSON, refused (:class:`~dalil.errors.Conflict`) when it was
    trained on other comparison columns than :func:`~dalil.linkage.features.prepare`
    builds today: re-scored on today's columns it would not give the run's probabilities."""
    model: dict[str, Any] = json.loads(text)
    if model and model.get("dalil_training", {}).get("features") != FEATURES_VERSION:
        raise Conflict(
            "the linkage run was made by an older dalil whose record features differ; "
            "run linkage again",
            path="linkage_run",
        )
    return model


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})
