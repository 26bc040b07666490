"""dalil (دليل, "evidence"): an evidence platform for investigations into unlawful killings.

The library is the product; the CLI (:mod:`dalil.cli`) and the web app (:mod:`dalil.web`)
are thin layers over it. Start with :class:`dalil.workspace.Workspace`.
"""

__version__ = "0.1.0"
