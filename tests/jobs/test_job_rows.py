"""The background-job rows are the jobs package's own (issue 21): same table, same columns."""

from __future__ import annotations

import ast
from pathlib import Path

from dalil.jobs import runner
from dalil.jobs.tables import Job

RUNNER = Path(runner.__file__)


def test_job_rows_live_in_the_jobs_package_with_their_table_unchanged() -> None:
    table = Job.__table__
    assert table.name == "background_job"
    assert [c.name for c in table.columns] == [
        "id", "case_id", "kind", "state", "done", "total", "message", "result", "created_by",
        "created_at", "finished_at", "runner",
    ]  # fmt: skip
    assert {fk.target_fullname for fk in table.foreign_keys} == {"case_file.id"}
    assert runner.Job is Job


def test_the_runner_imports_no_other_package_but_model_workspace_and_errors() -> None:
    imported = {
        node.module
        for node in ast.walk(ast.parse(RUNNER.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dalil.")
    }
    packages = {name.split(".")[1] for name in imported}
    assert packages <= {"jobs", "model", "workspace", "errors"}, imported
