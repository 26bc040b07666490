"""Background jobs: linkage and estimation started from the web app, with progress.

A job is a row (``background_job``) that a worker thread updates as it goes; the page
polls it. Progress is counted in the named steps of the job's kind
(:mod:`~dalil.jobs.steps`): the work's messages are matched to steps as they come, and a
job that finishes has done them all, so its bar is full. A job that fails keeps the error's
code in its ``result`` (``{"error": {...}}``) for the page to say what to do.

Work runs one job at a time per server process (linkage and LCMCR already use
every core). Each job names the process running it ("host:pid"); when a server process
starts, jobs left queued or running by a process of this host that no longer exists were
cut off by a restart and are marked failed, so nobody waits on them forever. Jobs of
other hosts are left to their own host.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dalil.errors import DalilError, InvalidInput, NotFound
from dalil.jobs.steps import INTERNAL, INTERRUPTED, PLANS, Plan
from dalil.jobs.tables import Job
from dalil.model.keys import new_id
from dalil.model.tables import utcnow

if TYPE_CHECKING:  # the workspace loads every tables module, this package's among them
    from dalil.workspace import Workspace

KINDS = tuple(PLANS)
#: this server process, as jobs record it
RUNNER = f"{socket.gethostname()}:{os.getpid()}"


def _gone(runner: str | None) -> bool:
    """Whether the process that ran a job is known to have ended (only checkable for
    processes of this host)."""
    if runner is None:
        return True
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return int(pid) == os.getpid()  # this very process is only starting


class Progress:
    """What a running job reports: a message and, when known, ``done`` of ``total`` steps.

    Without ``done``, a message that begins a step of the job's plan moves the job to
    that step (``done`` = the steps before it; never backwards). Writes are throttled to
    one every half second, except the first, a new step and the last."""

    def __init__(self, ws: Workspace, job_id: str, plan: Plan | None = None) -> None:
        self.ws, self.job_id, self.plan, self._last, self._step = ws, job_id, plan, 0.0, 0

    def __call__(self, message: str, done: int | None = None, total: int | None = None) -> None:
        if done is None and self.plan is not None:
            found = self.plan.step_of(message)
            if found is not None and found >= self._step:
                done, total = found, self.plan.total
        now = time.monotonic()
        moved = done is not None and (done != self._step or done == total)
        if now - self._last < 0.5 and not moved:
            return
        self._last = now
        if done is not None:
            self._step = done
        values: dict[str, Any] = {"message": message[:500]}
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        with self.ws.session() as s:
            s.execute(update(Job).where(Job.id == self.job_id).values(**values))


Work = Callable[[Session, Progress], dict[str, Any]]


class Runner:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dalil-job")
        with ws.session() as s:
            cut_off = [
                job_id
                for job_id, runner in s.execute(
                    select(Job.id, Job.runner).where(Job.state.in_(("queued", "running")))
                )
                if _gone(runner)
            ]
            s.execute(
                update(Job)
                .where(Job.id.in_(cut_off))
                .values(state="failed", message="interrupted by a server restart; start it again",
                        result={"error": {"code": INTERRUPTED, "message": None, "path": None}},
                        finished_at=utcnow())
            )  # fmt: skip

    def submit(self, case_id: str, kind: str, actor: str, work: Work) -> str:
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", path="kind")
        job_id = new_id()
        with self.ws.session() as s:
            s.add(
                Job(id=job_id, case_id=case_id, kind=kind, state="queued", done=0,
                    total=PLANS[kind].total,
                    message="waiting for a worker", created_by=actor, created_at=utcnow(),
                    runner=RUNNER)
            )  # fmt: skip
        self.pool.submit(self._run, job_id, PLANS[kind], work)
        return job_id

    def _run(self, job_id: str, plan: Plan, work: Work) -> None:
        progress = Progress(self.ws, job_id, plan)
        self._set(job_id, state="running", message="started")
        try:
            with self.ws.session() as s:
                result = work(s, progress)
        except DalilError as err:
            self._set(job_id, state="failed", message=err.message[:500],
                      result={"error": err.to_dict()}, finished_at=utcnow())  # fmt: skip
        except Exception as err:  # the job fails, the server goes on
            traceback.print_exc()
            name = type(err).__name__
            self._set(job_id, state="failed", message=f"internal error ({name})",
                      result={"error": {"code": INTERNAL, "message": name, "path": None}},
                      finished_at=utcnow())  # fmt: skip
        else:  # every step done, whatever the work reported: the bar is full
            self._set(job_id, state="done", message="finished", result=result,
                      done=Job.total, finished_at=utcnow())  # fmt: skip

    def _set(self, job_id: str, **values: Any) -> None:
        with self.ws.session() as s:
            s.execute(update(Job).where(Job.id == job_id).values(**values))

    def wait(self, timeout: float = 600.0) -> None:
        """Block until the queue is empty (tests and the command line)."""
        self.pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def get(session: Session, case_id: str, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.case_id != case_id:
        raise NotFound("no such job in this case", path="job_id")
    return job


def recent(session: Session, case_id: str, limit: int = 10) -> list[Job]:
    return list(
        session.scalars(
            select(Job).where(Job.case_id == case_id).order_by(Job.created_at.desc()).limit(limit)
        )
    )


def as_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "result": job.result,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
