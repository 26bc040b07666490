"""A job's progress is counted in the named steps of its kind and ends at its total: the
bar of a finished job is full (it stayed at 1/5 when the runner throttled the work's last
messages away), and a failed job keeps its error's code for a sentence saying what to do."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from dalil import jobs
from dalil.errors import NotFound
from dalil.jobs import steps
from dalil.records import cases
from dalil.workspace import Workspace

#: what the real work says, in order (linkage.engine and model, report.casefile, the
#: estimate job of web.api_linkage), with details between the steps
SAID = {
    "linkage": [
        "preparing 1,204 records", "blocking on surname", "estimating the match rate",
        "estimating u by random sampling", "EM training blocked on surname",
        "scoring candidate pairs", "clustering",
    ],
    "estimate": ["estimating with lcmcr"],
    "casefile": [
        "reading the records", "withholding what witnesses did not consent to share (team)",
        "element matrices", "protocol checklists", "signing a tree head over the evidence",
        "map and timeline", "rendering PDF",
    ],
}  # fmt: skip


def _case(ws: Workspace) -> str:
    with ws.session() as s:
        return cases.create_case(s, "Jobs", actor="t").id


def _run(ws: Workspace, kind: str, work: jobs.Work) -> jobs.Job:
    runner = jobs.Runner(ws)
    try:
        case = _case(ws)
        job_id = runner.submit(case, kind, "t", work)
        runner.wait(60)
        with ws.session() as s:
            job = jobs.get(s, case, job_id)
            s.expunge(job)
        return job
    finally:
        runner.shutdown()


def test_every_kind_has_a_plan_that_reads_what_its_work_says() -> None:
    assert set(jobs.KINDS) == set(SAID) == set(steps.PLANS)
    for kind, said in SAID.items():
        plan = steps.PLANS[kind]
        found = [i for i in map(plan.step_of, said) if i is not None]
        assert found == sorted(found), kind  # steps only go forward
        assert set(found) == set(range(plan.total)), kind  # and every step is reached


@pytest.mark.parametrize("kind", sorted(SAID))
def test_a_finished_job_has_done_every_step_of_its_kind(ws: Workspace, kind: str) -> None:
    seen: list[tuple[int, int]] = []

    def work(s: Session, progress: jobs.Progress) -> dict[str, Any]:
        for message in SAID[kind]:  # faster than the throttle: most writes are skipped
            progress(message)
        with ws.session() as look:
            row = look.get(jobs.Job, job_id[0])
            assert row is not None
            seen.append((row.done, row.total))
        return {"ok": True}

    job_id: list[str] = []
    runner = jobs.Runner(ws)
    try:
        case = _case(ws)
        job_id.append(runner.submit(case, kind, "t", work))
        runner.wait(60)
        with ws.session() as s:
            job = jobs.get(s, case, job_id[0])
            total = steps.PLANS[kind].total
            assert (job.state, job.done, job.total) == ("done", total, total)
            stage = jobs.stage(job)
            assert (stage.number, stage.total, stage.percent) == (total, total, 100)
            assert stage.step == steps.PLANS[kind].steps[-1].title and stage.failure is None
    finally:
        runner.shutdown()
    # while running, the last step reached was stored (a new step is never throttled)
    assert seen == [(steps.PLANS[kind].total - 1, steps.PLANS[kind].total)]


def test_a_job_that_says_nothing_still_ends_full(ws: Workspace) -> None:
    job = _run(ws, "linkage", lambda s, progress: {})
    assert job.state == "done" and job.done == job.total == steps.PLANS["linkage"].total


def test_a_failed_job_keeps_its_code_and_says_what_to_do(ws: Workspace) -> None:
    def work(s: Session, progress: jobs.Progress) -> dict[str, Any]:
        progress("preparing 3 records")
        raise NotFound("the case has no victim lists")

    job = _run(ws, "linkage", work)
    assert job.state == "failed" and job.done == 0
    error = {"code": "record.not_found", "message": "the case has no victim lists", "path": None}
    assert job.result == {"error": error}
    stage = jobs.stage(job)
    assert stage.code == "record.not_found" and stage.number == 1
    assert stage.failure is not None and "Import a list" in stage.failure


def test_a_crash_is_a_fault_of_dalil_not_of_the_data(ws: Workspace) -> None:
    def work(s: Session, progress: jobs.Progress) -> dict[str, Any]:
        raise ZeroDivisionError

    stage = jobs.stage(_run(ws, "estimate", work))
    assert stage.code == steps.INTERNAL and "not in your data" in (stage.failure or "")


def test_every_failure_sentence_is_a_sentence_and_unknown_codes_have_one() -> None:
    assert steps.failure("casefile", "nonesuch.code") in steps.failure_sentences()
    assert "passphrase" in steps.failure("linkage", "vault.keyfile")
    for sentence in steps.failure_sentences():
        assert sentence[0].isupper() and sentence.endswith((".", ")")), sentence
