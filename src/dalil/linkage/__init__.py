"""Linkage: victim-list records linked into persons, with a review queue.

Owns: the stored victim lists of a case and their linkage runs
(:mod:`~dalil.linkage.service`), the comparison features and Splink model
(:mod:`~dalil.linkage.features`, :mod:`~dalil.linkage.engine`, :mod:`~dalil.linkage.model`),
clusters and review, synthetic lists for testing (:mod:`~dalil.linkage.synth`), and what
a linkage hands on: the capture histories estimation reads
(:mod:`~dalil.linkage.captures`) and the files it writes (:mod:`~dalil.linkage.outputs`).

May use: :mod:`dalil.model`, :mod:`dalil.places` (name keys, the place index),
:mod:`dalil.workspace`, :mod:`dalil.vault`, :mod:`dalil.access`, :mod:`dalil.records` and
:mod:`dalil.intake` (the lists as read, the field parsers). Never estimation or anything
above it, the web app or the CLI.
"""
