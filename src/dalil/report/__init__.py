"""Case-file reports: HTML (Jinja2) and PDF (WeasyPrint) for an audience, with charts and
maps drawn here as SVG. See ``docs/reports.md``."""
