"""What each kind of job does, in words a person reads: its title, its named steps and,
when it fails, a sentence saying what to do.

The work a job runs (linkage, estimation, a case file) reports progress as free
messages, written for the command line ("preparing 1,204 records", "EM training blocked
on surname"). A :class:`Plan` maps those messages onto a short list of named steps, so
the runner can store "step 2 of 4" without the work knowing about steps, and so the bar
reaches its end: a job that is done has done every step of its plan (the runner sets
``done = total``), whatever messages it sent.

The words here are English; the web app translates them (``dalil.web.code_labels`` and
its Arabic catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass

from dalil.jobs.tables import Job


@dataclass(frozen=True)
class Step:
    """A named step; it begins when the work says a message starting with one of
    ``starts`` (compared case-insensitively)."""

    title: str
    starts: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """The steps a kind of job goes through, in order."""

    kind: str
    #: what runs, as a sentence fragment: "Linking the case's victim lists"
    title: str
    steps: tuple[Step, ...]

    @property
    def total(self) -> int:
        return len(self.steps)

    def step_of(self, message: str) -> int | None:
        """The index of the step ``message`` begins, or None if it begins none (a detail
        within the current step)."""
        said = message.strip().lower()
        for index, step in enumerate(self.steps):
            if any(said.startswith(start) for start in step.starts):
                return index
        return None


PLANS: dict[str, Plan] = {
    plan.kind: plan
    for plan in (
        Plan(
            "linkage",
            "Linking the case's victim lists",
            (
                Step("Preparing the records", ("preparing",)),
                Step(
                    "Training the matching model",
                    ("training", "estimating the match rate", "estimating u", "em training"),
                ),
                Step("Scoring candidate pairs", ("scoring",)),
                Step("Grouping the records into persons", ("clustering",)),
            ),
        ),
        Plan(
            "estimate",
            "Estimating the number of deaths",
            (Step("Estimating from the linked lists", ("estimating",)),),
        ),
        Plan(
            "casefile",
            "Building the case file",
            (
                Step("Reading the records", ("reading the records", "withholding")),
                Step("Element matrices", ("element matrices",)),
                Step("Protocol checklists", ("protocol checklists", "signing")),
                Step("Map and timeline", ("map and timeline",)),
                Step("Rendering the file", ("rendering",)),
            ),
        ),
    )
}
KINDS = tuple(PLANS)

#: error codes the runner itself gives a failed job (beside those of :mod:`dalil.errors`)
INTERRUPTED = "job.interrupted"
INTERNAL = "job.internal"

#: what to do after a failure, by (kind, error code) and then by code alone
_FAILURES: dict[tuple[str, str] | str, str] = {
    ("linkage", "record.not_found"): (
        "The case has no victim lists to link yet. Import a list on the lists page, then "
        "run linkage again."
    ),
    ("estimate", "record.not_found"): (
        "There are no linked lists to estimate from yet. Run linkage first, then start the "
        "estimate again."
    ),
    ("estimate", "input.invalid"): (
        "The linked lists cannot support this estimate (the details below say why). Import "
        "or link more lists that overlap, or try another method."
    ),
    ("linkage", "input.invalid"): (
        "A victim list stopped the linkage (the details below name the list and the row). "
        "Correct that list, import it again and run linkage again."
    ),
    "record.not_found": (
        "Something the job needs is missing or no longer visible to you. Reload the case "
        "and start the job again."
    ),
    "input.invalid": (
        "The case's data stopped the job (the details below say where). Correct it and "
        "start the job again."
    ),
    "input.vocabulary": (
        "A record uses a term that is not in its vocabulary (the details below name it). "
        "Correct the record and start the job again."
    ),
    "record.conflict": "Another change to the case got in the way. Start the job again.",
    "protection.refused": (
        "A witness-protection rule stopped the job. Ask the case's protection officer "
        "before trying again."
    ),
    "access.forbidden": (
        "Your role in this case does not allow this job. Ask the case's coordinator."
    ),
    "vault.locked": (
        "The evidence vault is locked on the server. Ask the administrator to start dalil "
        "with the vault passphrase, then start the job again."
    ),
    "vault.tampered": (
        "The custody ledger no longer matches its signed head, so the job stopped rather "
        "than print proofs that fail. Tell the administrator at once."
    ),
    "storage.error": (
        "The database could not be read or written. Try again in a few minutes; if it "
        "fails again, tell the administrator."
    ),
    INTERRUPTED: "The server restarted while the job was running. Start it again.",
    INTERNAL: (
        "The job stopped on a fault in dalil, not in your data. Start it again; if it fails "
        "again, tell the administrator (the server log has the details)."
    ),
}
_OTHERWISE = (
    "The job could not finish (the details below say why). Fix what they name and start "
    "the job again."
)


def failure(kind: str, code: str | None) -> str:
    """The sentence that tells a person what to do after a job of ``kind`` failed with
    the error ``code`` (a code of :mod:`dalil.errors`, or :data:`INTERRUPTED`,
    :data:`INTERNAL`)."""
    if code is None:
        return _OTHERWISE
    found = _FAILURES.get((kind, code)) or _FAILURES.get(code)
    if found is None and code.startswith("vault."):
        found = _FAILURES["vault.locked"]
    return found or _OTHERWISE


def failure_sentences() -> list[str]:
    """Every sentence :func:`failure` can give (so that each has a translation)."""
    return sorted(set(_FAILURES.values()) | {_OTHERWISE})


@dataclass(frozen=True)
class Stage:
    """How far a job is, as its page says it: step ``number`` of ``total``, named
    ``step``; ``percent`` fills the bar (100 for a finished job)."""

    title: str
    number: int
    total: int
    step: str
    percent: int
    #: a failed job's error code and the sentence saying what to do; None otherwise
    code: str | None = None
    failure: str | None = None


def error_code(job: Job) -> str | None:
    """The error code of a failed job (older rows kept only a message: read it)."""
    if job.state != "failed":
        return None
    error = (job.result or {}).get("error")
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        return str(error["code"])
    if job.message.startswith("interrupted"):
        return INTERRUPTED
    if job.message.startswith("internal error"):
        return INTERNAL
    return None


def stage(job: Job) -> Stage:
    """Where ``job`` is in its plan. Progress stored by an older runner (or a total of
    zero) is read against the plan, so a finished job is always at its last step."""
    plan = PLANS.get(job.kind) or Plan(job.kind, job.kind, (Step(job.kind, ()),))
    total = job.total if job.total > 0 else plan.total
    done = total if job.state == "done" else max(0, min(job.done, total))
    number = max(1, min(done + (0 if job.state == "done" else 1), total))
    step = plan.steps[number - 1].title if total == plan.total else job.message
    code = error_code(job)
    return Stage(
        title=plan.title,
        number=number,
        total=total,
        step=step,
        percent=round(100 * done / total) if total else 0,
        code=code,
        failure=failure(job.kind, code) if job.state == "failed" else None,
    )
