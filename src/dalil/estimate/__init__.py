"""Estimation: how many were killed, from how the lists overlap (multiple systems
estimation).

Owns: capture-history tables (:mod:`~dalil.estimate.captures`), the estimators -- log-linear
(:mod:`~dalil.estimate.loglinear`), dga-style Bayesian model averaging
(:mod:`~dalil.estimate.dga`), LCMCR (:mod:`~dalil.estimate.lcmcr`) -- with their intervals
and diagnostics, estimates per stratum (:mod:`~dalil.estimate.strata`), plots, and the
estimates stored for a case (:mod:`~dalil.estimate.service`).

May use: :mod:`dalil.model`, :mod:`dalil.workspace`, :mod:`dalil.records`, and of linkage
only what a linkage hands on: :mod:`dalil.linkage.captures` (the persons of a case with
the lists that captured them and their stratifying values) and
:mod:`dalil.linkage.outputs` (the capture-history CSV format). Never linkage's tables,
list rows or parsers, the web app or the CLI.
"""
