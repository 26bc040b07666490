"""Background jobs: linkage, estimation and case files started from the web app.

Owns: the job rows (``background_job``, declared in :mod:`dalil.access.tables` for now)
and the runner that works them one at a time per server process, with progress and
restart clean-up (:mod:`~dalil.jobs.runner`).

May use: :mod:`dalil.workspace`, :mod:`dalil.model`, :mod:`dalil.errors` and the job
table. The work itself is handed in as a callable by the web app, so jobs imports no
capability it runs. Never the web app or the CLI.
"""

from dalil.jobs.runner import (
    KINDS,
    RUNNER,
    Progress,
    Runner,
    Work,
    as_dict,
    get,
    recent,
)

__all__ = ["KINDS", "RUNNER", "Progress", "Runner", "Work", "as_dict", "get", "recent"]
