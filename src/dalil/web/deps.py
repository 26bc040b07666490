"""Request dependencies shared by the app's routers: the database session, the caller,
and the per-case access check that every case-scoped route declares.

``case_access(action)`` is the only way a route reaches a case: it authenticates the
caller, asks :mod:`dalil.access.policy` and notes the decision (allowed or denied) in the
request's audit trail, which the app appends to the custody ledger before the response
leaves. Routes declare it as a dependency, so the access-matrix test can read every
route's policy from the app itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy.orm import Session

from dalil import jobs
from dalil.access import accounts, audit, policy
from dalil.errors import DalilError, NotFound
from dalil.model.tables import Case
from dalil.model.vocabulary import packaged
from dalil.vault.service import Vault
from dalil.web import auth, i18n
from dalil.web.code_labels import LABELS
from dalil.workspace import Workspace


def _language(request: Request) -> dict[str, Any]:
    """Every page gets the interface language and its translator (``t``)."""
    lang = i18n.language(request)
    return {"lang": lang, "t": i18n.translator(lang)}


templates = Jinja2Templates(
    directory=str(resources.files("dalil") / "web" / "templates"), context_processors=[_language]
)


def timestamp(moment: datetime | str | None, lang: str | None = None) -> Markup:
    """A moment to the second: ``<time datetime="...Z">...</time>``, its text readable in
    ``lang`` ("7 March 2025 14:05:09 UTC", "7 آذار 2025 14:05:09 UTC"; with no language,
    "2025-03-07 14:05:09 UTC"). ``static/time.js`` rewrites the text to the viewer's time
    zone and keeps this one as the tooltip. Naive datetimes, as SQLite returns them, are
    UTC: dalil stores every moment in UTC."""
    if moment is None or moment == "":
        return Markup("—")
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    text = i18n.moment(utc, lang) if lang else f"{utc:%Y-%m-%d %H:%M:%S} UTC"
    return Markup('<time datetime="{}" dir="auto">{}</time>').format(
        f"{utc:%Y-%m-%dT%H:%M:%SZ}", text
    )


def _lang(context: Context) -> str:
    return str(context.get("lang") or "en")


@pass_context
def _timestamp(context: Context, moment: datetime | str | None) -> Markup:
    return timestamp(moment, _lang(context))


@pass_context
def number(context: Context, value: float | str | None) -> str:
    """A count or measure grouped for the page's language, Latin digits ("12,345"); plain
    text, so it also fits an attribute: put it in ``<bdi>`` inside a sentence."""
    return i18n.number(value, _lang(context))


@pass_context
def day(context: Context, value: date | str | None) -> Markup:
    """A date, or an ISO date that may be partial (2025, 2025-03, 2025-03-07), readable in
    the page's language, as ``<time datetime="ISO" dir="auto">7 آذار 2025</time>`` (an
    isolate: the surrounding sentence does not reorder it); what is not a date is shown
    as it is, isolated in ``<bdi>``."""
    found = i18n.day(value, _lang(context))
    if found is None:
        return Markup('<bdi dir="auto">{}</bdi>').format(value) if value else Markup("—")
    iso, text = found
    return Markup('<time datetime="{}" dir="auto">{}</time>').format(iso, text)


@pass_context
def term(context: Context, code: str | None, vocabulary: str) -> str:
    """The label of ``code`` in the page's language: from the shipped vocabulary of that
    name, else from the label table of codes outside the vocabularies
    (:data:`dalil.web.code_labels.LABELS`: job kinds and states, estimation methods,
    legal statuses, standards of proof, ...), else the code in words, never the raw code."""
    if not code:
        return ""
    lang = str(context.get("lang") or "en")
    found = packaged().get(vocabulary)
    if found is not None and code in found:
        return found.label(code, lang)
    english = LABELS.get(vocabulary, {}).get(code) or code.replace("_", " ")
    return i18n.translator(lang)(english)


def language_link(request: Request, lang: str) -> str:
    """This page in ``lang`` (a relative link): its query kept, ``lang`` set, so that a
    filter, search or page number survives the switch."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*kept, ("lang", lang)])


templates.env.filters["timestamp"] = _timestamp
templates.env.filters["number"] = number
templates.env.filters["day"] = day
templates.env.globals["language_link"] = language_link
templates.env.filters["term"] = term
templates.env.globals["term"] = term
templates.env.globals["job_stage"] = jobs.stage


def render(request: Request, name: str, who: auth.Caller, **context: Any) -> HTMLResponse:
    """A page of the screens (a language chosen with ``?lang=`` is remembered in a cookie
    by :class:`dalil.web.i18n.LanguageCookie`, on this and every other page)."""
    return templates.TemplateResponse(request, name, {"who": who, **context})


class VaultLocked(DalilError):
    """The server was started without the vault passphrase (HTTP 503)."""

    code = "vault.locked"


async def _session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request on the app's workspace, committed as soon as the route
    returns (``scope="function"``): before the audit trail is appended and before the
    response is sent, so no write lock is held while the ledger waits for it.

    Opening a session does no I/O, so it happens on the event loop (a plain generator
    would cost a thread hop more); the commit or rollback runs in a worker thread outside
    the request threads' limit, as FastAPI does it: a transaction holding a pooled
    connection must never wait for a thread that may itself be waiting for a connection."""
    ws: Workspace = request.app.state.workspace
    transaction = ws.session()
    s = transaction.__enter__()
    try:
        yield s
    except BaseException as err:
        if not await _end(transaction, type(err), err, err.__traceback__):
            raise
    else:
        await _end(transaction, None, None, None)


async def _end(transaction: AbstractContextManager[Session], *raised: Any) -> bool | None:
    """Leave the transaction (commit, or roll back what ``raised``) in a thread of its own,
    shielded from cancellation so that a pooled connection is always returned."""
    with CancelScope(shield=True):
        ended = await to_thread.run_sync(transaction.__exit__, *raised, limiter=CapacityLimiter(1))
    return ended


SessionDep = Annotated[Session, Depends(_session, scope="function")]

#: the largest offset, page or ledger index a query may ask for (a 32-bit signed integer,
#: what every database backend stores without overflow)
MAX_INDEX = 2**31 - 1


def trail(request: Request) -> audit.AuditTrail:
    """The request's audit trail (created by the app's audit middleware)."""
    found: audit.AuditTrail = request.state.audit
    return found


def _route(request: Request) -> str:
    return f"{request.method} {request.url.path}"[:300]


def _caller(request: Request, s: SessionDep) -> auth.Caller:
    return authenticate(request, s)


def authenticate(request: Request, s: Session) -> auth.Caller:
    """The signed-in caller, or :class:`auth.AuthRequired`. A browser user's language
    preference is kept for the page (used when the browser has no language cookie) and
    saved when they choose another with ``?lang=``."""
    found = auth.caller(request, s)
    if found is not None and found.web_session is not None:
        if (chosen := i18n.asked(request)) is not None:
            accounts.set_language(found.user, chosen)
        request.state.preferred_language = found.user.language
    # a browser session's last-seen time (or its expiry) is written now, so the request
    # holds no write lock while routes that write in their own transaction (evidence
    # uploads, identity reveals, jobs) wait for it
    s.commit()
    if found is None:
        trail(request).note(
            "access_denied", "anonymous", route=_route(request), why="no credentials"
        )
        raise auth.AuthRequired("sign in, or send an API token as Authorization: Bearer")
    return found


CallerDep = Annotated[auth.Caller, Depends(_caller)]


@dataclass
class Access:
    """A caller admitted to ``case`` (returned by :func:`case_access`)."""

    who: auth.Caller
    case: Case

    @property
    def actor(self) -> str:
        return self.who.user.name


def admit(
    request: Request, s: Session, who: auth.Caller, case_id: str, action: policy.Action,
    *, note_allowed: bool = True,
) -> Case:  # fmt: skip
    """The case if ``who`` may do ``action`` in it, the decision noted in the request's
    audit trail (also called by the body gate in :mod:`dalil.web.guard` before a request
    body is read; it notes only refusals, since the route's own check notes the admission)."""
    notes = trail(request)
    try:
        case = policy.require(s, who.user, case_id, action)
    except policy.Forbidden as err:  # a member (or admin) whose role lacks the permission
        notes.note("access_denied", who.user.name, case=case_id, route=_route(request),
                   permission=action, why=err.code)  # fmt: skip
        raise
    except NotFound as err:  # not a member, or no such case: the id is only what was asked
        notes.note(
            "access_denied", who.user.name, route=_route(request), permission=action,
            requested_case=case_id[:64], why=err.code,
        )  # fmt: skip
        raise
    if note_allowed:
        notes.note(
            "authorised", who.user.name, case=case.id, route=_route(request), permission=action
        )
    return case


def case_access(action: policy.Action) -> Callable[..., Access]:
    """A dependency that admits the caller to ``{case_id}`` for ``action`` or raises
    (404 for a case they may not see, 403 for a role that may not do this)."""

    def check(case_id: str, request: Request, s: SessionDep) -> Access:
        who = authenticate(request, s)  # here rather than a dependency: one thread hop less
        case = admit(request, s, who, case_id, action)
        # the pooled connection goes back until the route runs: a request waiting for its
        # thread holds none, so the pool does not overflow (and reconnect) under load
        s.commit()
        return Access(who, case)

    check.policy = action  # type: ignore[attr-defined]  # read by the access-matrix test
    return check


CaseRead = Annotated[Access, Depends(case_access("read"))]
CaseOverview = Annotated[Access, Depends(case_access("overview"))]
CaseWrite = Annotated[Access, Depends(case_access("write"))]
CaseLink = Annotated[Access, Depends(case_access("link"))]
CaseDecide = Annotated[Access, Depends(case_access("decide"))]
CaseIdentity = Annotated[Access, Depends(case_access("record_identity"))]
CaseReveal = Annotated[Access, Depends(case_access("reveal_identity"))]
CaseShare = Annotated[Access, Depends(case_access("share"))]
CaseErase = Annotated[Access, Depends(case_access("erase_identity"))]
CaseAssess = Annotated[Access, Depends(case_access("assess"))]


def vault_of(request: Request) -> Vault:
    found: Vault | None = request.app.state.vault
    if found is None:
        raise VaultLocked(
            "the evidence vault is locked: start `dalil serve` with the vault passphrase "
            "(DALIL_PASSPHRASE_FILE; see docs/server.md)"
        )
    return found


VaultDep = Annotated[Vault, Depends(vault_of)]
