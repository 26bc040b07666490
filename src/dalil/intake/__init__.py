"""Intake: victim lists read from the files partners send, before any linkage.

Owns: reading CSV and XLSX files as tables of cells (:mod:`~dalil.intake.spreadsheets`:
encodings, delimiters, quotes, size limits), mapping and validating their rows onto the
victim-list fields (:mod:`~dalil.intake.victim_lists`), the check before storing that
shows a person the column mapping and every bad row (:mod:`~dalil.intake.list_preview`),
and the parsers of those fields' values -- sex, age, (partial) dates -- that linkage
reuses (:mod:`~dalil.intake.fields`).

May use: :mod:`dalil.errors`, :mod:`dalil.config`, :mod:`dalil.model`, :mod:`dalil.places`
and the packages below intake in ``docs/architecture.md``. Never linkage (which sits
above and stores the lists), the web app or the CLI.
"""
