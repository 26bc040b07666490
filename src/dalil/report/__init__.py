"""Case-file reports: HTML (Jinja2) and PDF (WeasyPrint) for an audience, with charts and
maps drawn here as SVG. See ``docs/reports.md``.

Owns: the case file (:mod:`~dalil.report.casefile`) and its charts and maps
(:mod:`~dalil.report.charts`).

May use: every stage below it (records, vault, access, linkage, estimate, legal, extract,
places, model, workspace), through their APIs; never the web app or the CLI.
"""
