"""Facts proposed from the prose of reports and statements.

:mod:`dalil.extract.document` reads a file (plain text in any common encoding, HTML, PDF,
DOCX) into one text with a map from every character back to its place in the original;
:mod:`dalil.extract.dates`, :mod:`~dalil.extract.places`, :mod:`~dalil.extract.counts` and
:mod:`~dalil.extract.lexicon` propose facts from that text, each with the exact span it
came from; :mod:`dalil.extract.proposals` runs them all. Nothing proposed is a fact until
a person accepts it (:mod:`dalil.records.suggestions`).

The core is deterministic rules and lexicons, in English and Arabic, with no model
downloads (``../shared/design/extraction.md`` explains why).
"""
