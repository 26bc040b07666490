"""Schemathesis against the app's own ``/openapi.json``, once per role: requests generated
from every operation's schema (valid and invalid bodies, queries and path values), sent
with that role's API token into case A. The server must never answer 5xx, and every
refusal must be in the canonical error shape.

Hypothesis drives the generation (10 examples per operation and role; ``DALIL_FUZZ_EXAMPLES``
raises it for a longer run); requests go through the app's TestClient, so the audit
middleware and the ledger are exercised too.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests_support import ROLES, World

EXAMPLES = int(os.environ.get("DALIL_FUZZ_EXAMPLES", "10"))
CALLERS = (*ROLES, "outsider", "admin", "anonymous")


def _request(case: Any, world: World, who: str) -> dict[str, Any]:
    """The generated request as TestClient arguments, into case A as ``who``."""
    if "case_id" in (case.path_parameters or {}):
        case.path_parameters["case_id"] = world.a
    kw = case.as_transport_kwargs(base_url="https://testserver")
    headers = {k: v for k, v in kw.get("headers", {}).items() if k.lower() != "authorization"}
    if who != "anonymous":
        headers |= world.h(who)
    out: dict[str, Any] = {"method": kw["method"], "url": kw["url"], "headers": headers,
                           "params": kw.get("params"), "follow_redirects": False}  # fmt: skip
    if "json" in kw:
        out["json"] = kw["json"]
    if isinstance(kw.get("data"), bytes | str):
        out["content"] = kw["data"]
    elif kw.get("data") is not None:
        out["data"] = kw["data"]
    if kw.get("files"):
        out["files"] = kw["files"]
    return out


@pytest.mark.parametrize("who", CALLERS)
def test_no_server_errors_for_any_role(world: World, who: str) -> None:
    schema = schemathesis.openapi.from_dict(world.client.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    seen: dict[str, set[int]] = {}

    def checker(label: str) -> Any:
        def probe(case: Any) -> None:
            r = world.client.request(**_request(case, world, who))
            seen.setdefault(label, set()).add(r.status_code)
            assert r.status_code < 500, (label, r.status_code, r.text[:300])
            if r.status_code >= 400 and "json" in r.headers.get("content-type", ""):
                assert set(r.json()["error"]) == {"code", "message", "path"}, (label, r.text[:300])

        return probe

    runs = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
    for op in operations:
        runs(given(case=op.as_strategy())(checker(op.label)))()
    assert len(seen) == len(operations)
    if who == "anonymous":  # only the health check and signing in/out work without credentials
        # (a malformed body is refused, 400/422, before credentials are looked at)
        public = {"GET /healthz", "GET /login", "POST /login", "POST /logout"}
        refused = {label: codes for label, codes in seen.items() if label not in public}
        wrong = {label: codes for label, codes in refused.items() if not codes <= {400, 401, 422}}
        assert not wrong, wrong
