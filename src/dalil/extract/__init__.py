"""Facts proposed from the prose of reports and statements.

:mod:`dalil.extract.document` reads a file (plain text in any common encoding, HTML, PDF,
DOCX: one module each, :mod:`~dalil.extract.plain_text`, :mod:`~dalil.extract.html_page`,
:mod:`~dalil.extract.pdf_file` with :mod:`~dalil.extract.ocr`,
:mod:`~dalil.extract.docx_file`) into one text with a map from every character back to its
place in the original (:mod:`dalil.extract.text_map`);
:mod:`dalil.extract.dates`, :mod:`~dalil.extract.places`, :mod:`~dalil.extract.counts` and
:mod:`~dalil.extract.lexicon` propose facts from that text, each with the exact span it
came from; :mod:`dalil.extract.proposals` runs them all. Nothing proposed is a fact until
a person accepts it (:mod:`dalil.records.suggestions`).

The core is deterministic rules and lexicons, in English and Arabic, with no model
downloads (``../shared/design/extraction.md`` explains why).

Owns: reading report files into text (above), the extractors and their lexicons, the
scoring of extractors against labelled documents (:mod:`~dalil.extract.evaluation`) and
the stored rows of report intake (:mod:`~dalil.extract.tables`).

May use: :mod:`dalil.model`, :mod:`dalil.places` (the gazetteer and name folding),
:mod:`dalil.errors` and :mod:`dalil.config`; never the records, vault or access packages
above it, the web app or the CLI. ``docs/architecture.md`` has the whole table.
"""
