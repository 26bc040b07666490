"""Legal analysis: elements of crimes (versioned data), assessments of elements against a
case's records, and protocol checklists (Minnesota, Bournemouth, Berkeley, casualty
recording). See ``docs/legal.md``.

Owns: the catalogue of crimes and their elements (:mod:`~dalil.legal.elements`), the one
read of a case that analysis reasons over (:mod:`~dalil.legal.casebook`), suggestions
computed from the records (:mod:`~dalil.legal.suggest`), assessments
(:mod:`~dalil.legal.assessments`), checklists and their rules
(:mod:`~dalil.legal.checklists`, :mod:`~dalil.legal.checklist_rules`) and its own rows
(:mod:`~dalil.legal.tables`).

May use: :mod:`dalil.model`, :mod:`dalil.errors`, :mod:`dalil.records` (records and
their views), the vault's evidence items through :mod:`dalil.vault.holdings` and the
reports added to a case through :mod:`dalil.extract.reports`; never another package's
tables, the web app or the CLI. ``docs/architecture.md`` has the whole table.
"""
