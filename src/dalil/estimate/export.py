"""An estimate's capture histories and model, written so an R user can check them.

``dalil estimate ... --export DIR`` writes three files (one folder per stratum with
``--strata``):

* ``captures.csv``: one 0/1 column per list, in dalil's list order, then ``count``; one row
  for each of the 2^J - 1 capture histories, zero counts included. It is the aggregated
  format that Rcapture's ``closedp.t``/``closedpCI.t`` read with ``dfreq = TRUE`` (last
  column the frequency), and MultipleSystemsEstimation's and SparseMSE's ``zdat`` (lists,
  then count). LCMCR's ``lcmCR`` wants one row per person with factor columns "0"/"1":
  repeat each row ``count`` times (``check.R`` shows how). dalil reads it back with
  :func:`dalil.estimate.captures.read_csv`.
* ``model.json``: the method, the model in dalil's label and, for a log-linear model, in
  the hierarchical notation of MultipleSystemsEstimation (generators in square brackets,
  lists numbered 1..J in column order: ``"[12,13,4]"`` is EXH:ABA + EXH:OSCE with HRW
  alone), the estimate, the interval and what it covers, and the lists in order. With
  linkage draws, ``estimate`` and ``interval`` are the linkage-blind ones (what R can
  reproduce from the run's own linkage); the combined ones are in ``with_linkage_doubt``.
* ``check.R``: reads ``captures.csv``, fits the same model (MultipleSystemsEstimation's
  ``estimate_population_fixed`` and Rcapture's ``closedpCI.t`` for log-linear; ``lcmCR``
  for LCMCR; ``dga::bma.cr`` for dga) and prints its estimate beside dalil's. Not run by
  dalil's tests (no R here).

The hierarchical notation writes each list as one digit, so it exists only for up to 9
lists (as in the package); with more, ``hierarchy`` is null and ``check.R`` uses Rcapture
alone.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dalil.errors import InvalidInput
from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate
from dalil.estimate.strata import Stratified
from dalil.linkage.outputs import spreadsheet_cell

Terms = frozenset[frozenset[int]]
FORMAT = "dalil-mse-export"
MAX_HIERARCHY_LISTS = 9


def captures_csv(table: CaptureTable) -> str:
    """The capture-history CSV: lists in the table's order, then ``count``; all histories.

    Rows go from the history on every list down to the last list alone, as published
    tables are printed.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*(spreadsheet_cell(n) for n in table.lists), "count"])
    rows = sorted(
        (
            (tuple(int(v) for v in p), int(c))
            for p, c in zip(table.patterns, table.counts, strict=True)
        ),
        reverse=True,
    )
    for pattern, count in rows:
        writer.writerow([*pattern, count])
    return out.getvalue()


def parse_label(label: str, lists: tuple[str, ...]) -> Terms | None:
    """The interaction terms of a log-linear model from dalil's label ("A:B + B:C").

    None when the label is not one (an LCMCR or dga model, or list names that contain
    ":" or " + " and cannot be told apart).
    """
    if label == "main effects":
        return frozenset()
    index = {name: i for i, name in enumerate(lists)}
    terms = []
    for part in label.split(" + "):
        names = part.split(":")
        if len(names) < 2 or any(n not in index for n in names):
            return None
        terms.append(frozenset(index[n] for n in names))
    return frozenset(terms)


def closure(terms: Iterable[frozenset[int]]) -> Terms:
    """Every interaction implied by ``terms`` (a hierarchical model's full term set)."""
    out: set[frozenset[int]] = set()
    for t in terms:
        for order in range(2, len(t) + 1):
            out.update(frozenset(c) for c in itertools.combinations(sorted(t), order))
    return frozenset(out)


def hierarchy(terms: Iterable[frozenset[int]], j: int) -> str | None:
    """MultipleSystemsEstimation's notation for the model: its generators, e.g. "[12,23,4]".

    Generators are the terms no other term contains, plus each list in no interaction;
    lists are numbered from 1 in column order. None with more than nine lists.
    """
    if j > MAX_HIERARCHY_LISTS:
        return None
    full = closure(terms)
    generators = [t for t in full if not any(t < u for u in full)]
    covered = set().union(*full) if full else set()
    generators += [frozenset({i}) for i in range(j) if i not in covered]
    names = ["".join(str(i + 1) for i in sorted(g)) for g in generators]
    return "[" + ",".join(sorted(names, key=lambda s: (-len(s), s))) + "]"


def rcapture_formula(terms: Iterable[frozenset[int]]) -> str:
    """Rcapture's ``mX`` formula: ``~ .`` (every main effect) plus every interaction."""
    parts = sorted(closure(terms), key=lambda t: (len(t), sorted(t)))
    return "~ ." + "".join(" + " + ":".join(f"c{i + 1}" for i in sorted(t)) for t in parts)


def model_record(result: Estimate) -> dict[str, Any]:
    """``model.json``: what was estimated, how, and the model in R's notations."""
    d = result.diagnostics
    terms = parse_label(result.model, result.lists) if result.method == "loglinear" else None
    record: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "method": result.method,
        "model": result.model,
        "hierarchy": hierarchy(terms, len(result.lists)) if terms is not None else None,
        "rcapture_formula": rcapture_formula(terms) if terms is not None else None,
        "lists": list(result.lists),  # in column order: list 1 first
        "observed": result.observed,
        "estimate": round(result.estimate, 1),
        "interval": [round(result.interval[0], 1), round(result.interval[1], 1)],
        "level": result.level,
        "interval_covers": _covers(result),
    }
    keys = {
        "loglinear": ("selection", "profile_interval", "fixed_terms"),
        "lcmcr": ("K", "a_alpha", "b_alpha", "burnin", "samples", "thinning", "chains"),
        "dga": ("delta", "prior", "grid_max"),
    }[result.method]
    record["settings"] = {k: d[k] for k in keys if k in d}
    doubt = result.to_dict().get("linkage_doubt")
    if doubt:
        # R refits the run's own linkage: compare with the linkage-blind figures, and keep
        # the combined ones beside them
        record["estimate"] = doubt["linkage_blind_estimate"]
        record["interval"] = doubt["linkage_blind_interval"]
        record["with_linkage_doubt"] = {
            "estimate": round(result.estimate, 1),
            "interval": [round(result.interval[0], 1), round(result.interval[1], 1)],
            "draws": doubt.get("draws"),
            "rule": doubt.get("rule"),
        }
    return record


def _covers(result: Estimate) -> str:
    said = result.diagnostics.get("interval_covers")
    if isinstance(said, str):
        return said
    if result.method == "loglinear":
        return "bootstrap interval with the model selection re-made on every replicate"
    return "posterior quantiles"


def check_script(record: dict[str, Any]) -> str:
    """``check.R`` for a :func:`model_record` (see the module docstring)."""
    lists = ", ".join(f"{i} = {name}" for i, name in enumerate(record["lists"], start=1))
    lo, hi = record["interval"]
    head = [
        "# Check dalil's estimate in R. Run it in this folder: Rscript check.R",
        f"# dalil: method {record['method']}, model {record['model']}",
        f"# dalil estimate {record['estimate']}, {round(record['level'] * 100)}% interval "
        f"[{lo}, {hi}] ({record['interval_covers']})",
        f"# lists, numbered in column order: {lists}",
        'd <- read.csv("captures.csv", check.names = FALSE)  # 0/1 per list, then count',
        f"dalil <- {record['estimate']}",
        "",
    ]
    body = {"loglinear": _loglinear_r, "lcmcr": _lcmcr_r, "dga": _dga_r}[record["method"]]
    return "\n".join(head + body(record)) + "\n"


def _loglinear_r(record: dict[str, Any]) -> list[str]:
    s = record["settings"]
    lines = []
    if record["hierarchy"]:
        lines += [
            "# MultipleSystemsEstimation (Silverman, Chan & Vincent): the same fixed model;",
            "# terms over lists that share nobody are fixed at minus infinity, as dalil does",
            "library(MultipleSystemsEstimation)",
            f"model <- {json.dumps(record['hierarchy'])}",
            "fit <- estimate_population_fixed(as.matrix(d), model = model)",
            'cat("MultipleSystemsEstimation:", fit$popest, " dalil:", dalil, "\\n")',
            "",
        ]
    # terms fixed at minus infinity, as {"term", "why"} records
    dropped = [f["term"] for f in s.get("fixed_terms") or []]
    lines += [
        "# Rcapture (Baillargeon & Rivest): the same log-linear model as a formula over",
        "# c1..cJ; its interval is the multinomial profile likelihood, compare it with",
        f"# dalil's model-conditional profile interval {s.get('profile_interval')}",
    ]
    if dropped:
        lines.append(
            f"# NOTE: {', '.join(dropped)} share nobody; Rcapture does not fix such terms at "
            "minus infinity, so its fit may not converge or may differ"
        )
    lines += [
        "library(Rcapture)",
        f"rc <- closedpCI.t(d, dfreq = TRUE, mX = {record['rcapture_formula']})",
        "print(rc$CI)",
    ]
    return lines


def _lcmcr_r(record: dict[str, Any]) -> list[str]:
    s = record["settings"]
    return [
        "# LCMCR (Manrique-Vallier): one row per person, factor columns with levels 0/1",
        "library(LCMCR)",
        'lists <- setdiff(names(d), "count")',
        "persons <- d[rep(seq_len(nrow(d)), d$count), lists, drop = FALSE]",
        "persons[] <- lapply(persons, factor, levels = c(0, 1))",
        f"fit <- lcmCR(persons, K = {s.get('K', 10)}, a_alpha = {s.get('a_alpha', 0.25)}, "
        f"b_alpha = {s.get('b_alpha', 0.25)}, seed = 1, buffer_size = 10000, "
        f"thinning = {s.get('thinning', 100)})",
        f"N <- lcmCR_PostSampl(fit, burnin = {s.get('burnin', 10000)}, "
        f"samples = {s.get('samples', 1000)}, thinning = {s.get('thinning', 100)})",
        f"print(quantile(N, c({(1 - record['level']) / 2:.4g}, 0.5, "
        f"{(1 + record['level']) / 2:.4g})))",
        f"# dalil pools {s.get('chains', 3)} chains; one chain here differs by Monte Carlo error",
        'cat("LCMCR median:", median(N), " dalil:", dalil, "\\n")',
    ]


def _dga_r(record: dict[str, Any]) -> list[str]:
    s = record["settings"]
    log_prior = "rep(0, length(Nmissing))" if s.get("prior") == "uniform" else "-log(n + Nmissing)"
    q = (1 - record["level"]) / 2
    return [
        "# dga (Johndrow, Lum & Ball): averaging over decomposable graphs (3 to 5 lists)",
        "library(dga)",
        'lists <- setdiff(names(d), "count")',
        "J <- length(lists)",
        "n <- sum(d$count)",
        "Y <- array(0, dim = rep(2, J))",
        "Y[as.matrix(d[lists]) + 1] <- d$count",
        f"Nmissing <- 0:{int(s.get('grid_max', 0)) - record['observed']}  # dalil's grid",
        'data(list = paste0("graphs", J))',
        f"post <- bma.cr(Y, Nmissing, delta = {s.get('delta')}, "
        f'graphs = get(paste0("graphs", J)), logprior = {log_prior})',
        "cdf <- cumsum(colSums(post))",
        "N <- n + Nmissing",
        f'cat("dga median:", N[which(cdf >= 0.5)[1]], " interval:", '
        f"N[which(cdf >= {q:.4g})[1]], N[which(cdf >= {1 - q:.4g})[1]], "
        '" dalil:", dalil, "\\n")',
    ]


def check_folder(folder: Path) -> None:
    """Refuse a folder that cannot be written before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; give a folder to export into", path="--export")
    parent = folder if folder.exists() else next(p for p in folder.parents if p.exists())
    if not parent.is_dir():
        raise InvalidInput(f"{parent} is a file; give a folder to export into", path="--export")


def write_one(folder: Path, table: CaptureTable, result: Estimate) -> list[Path]:
    """``captures.csv``, ``model.json`` and ``check.R`` for one estimate."""
    if tuple(table.lists) != tuple(result.lists):
        raise InvalidInput("the table and the estimate have different lists", path="--export")
    folder.mkdir(parents=True, exist_ok=True)
    record = model_record(result)
    files = {
        "captures.csv": captures_csv(table),
        "model.json": json.dumps(record, ensure_ascii=False, indent=2) + "\n",
        "check.R": check_script(record),
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def folder_name(stratum: str) -> str:
    """A stratum's name as a folder name ("Latakia / female" -> "Latakia_female")."""
    name = re.sub(r"[\s/\\:]+", "_", stratum).strip("._") or "stratum"
    return name


def write(
    folder: Path, result: Estimate | Stratified, tables: dict[str, CaptureTable]
) -> list[Path]:
    """Export ``result``; ``tables`` are its capture tables by stratum ("all" unstratified).

    A stratified result gets one folder per estimated stratum and a ``strata.json`` that
    names them; refused strata have no model to check and are listed there only.
    """
    check_folder(folder)
    if isinstance(result, Estimate):
        (table,) = tables.values()
        return write_one(folder, table, result)
    written: list[Path] = []
    names: dict[str, str] = {}
    for stratum, est in result.strata.items():
        name = folder_name(stratum)
        while name in names.values():
            name += "_"
        names[stratum] = name
        written += write_one(folder / name, tables[stratum], est)
    index = folder / "strata.json"
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        "format": FORMAT,
        "version": 1,
        "method": result.method,
        "estimate": round(result.total, 1),
        "interval": [round(result.interval[0], 1), round(result.interval[1], 1)],
        "level": result.level,
        "strata": names,
        "refused_strata": result.refused,
    }
    index.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, index]
