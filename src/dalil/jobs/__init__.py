"""Background jobs: linkage, estimation and case files started from the web app.

Owns: the job rows (``background_job``, :class:`Job` in :mod:`~dalil.jobs.tables`) and
the runner that works them one at a time per server process, with progress and
restart clean-up (:mod:`~dalil.jobs.runner`), and what each kind of job does in words: its
named steps and what to do when it fails (:mod:`~dalil.jobs.steps`).

May use: :mod:`dalil.workspace`, :mod:`dalil.model`, :mod:`dalil.errors`. The work
itself is handed in as a callable by the web app, so jobs imports no capability it runs.
Never the web app or the CLI.
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
from dalil.jobs.steps import PLANS, Plan, Stage, Step, failure, failure_sentences, stage
from dalil.jobs.tables import Job

__all__ = [
    "KINDS", "PLANS", "RUNNER", "Job", "Plan", "Progress", "Runner", "Stage", "Step", "Work",
    "as_dict", "failure", "failure_sentences", "get", "recent", "stage",
]  # fmt: skip
