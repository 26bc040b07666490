"""``dalil docs`` and ``dalil suggestion``: report intake, thin over
:mod:`dalil.records.suggestions`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from dalil.cli.common import (
    console,
    custody_actor,
    json_option,
    print_json,
    user_option,
    workspace,
)
from dalil.cli.extract_commands import _published, _summary
from dalil.cli.vault_commands import open_vault
from dalil.errors import InvalidInput
from dalil.records import cases, suggestions


@click.group("docs")
def docs_group() -> None:
    """Reports and statements added for fact intake."""


@docs_group.command("add")
@click.argument("case")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--published", default=None, metavar="YYYY-MM-DD",
              help="Publication date of every file given (anchors relative dates).")  # fmt: skip
@user_option
@click.pass_context
def docs_add(ctx: click.Context, case: str, files: tuple[Path, ...], published: str | None,
             user: str | None) -> None:  # fmt: skip
    """Keep each report in the evidence vault and store the facts proposed from it for
    review. A file that cannot be read is refused before anything of it is stored. Each
    report kept is a custody event naming ``--user`` or the workspace's operator."""
    anchor = _published(published)
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        vault = open_vault(ws, actor)
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
            using = suggestions.extractor(s)  # once for every file
        for path in files:
            added = suggestions.add_report(ws, vault, case_id, path, actor, anchor, using)
            when = added.published.isoformat() if added.published else \
                "unknown: relative dates stay open (give --published)"  # fmt: skip
            state = "already added" if added.duplicate else "added"
            console.print(f"{path}: {state} as report {added.report_id} (sha256 {added.sha256}, "
                          f"ledger #{added.ledger_index}); {added.suggestions} proposals; "
                          f"published {when}")  # fmt: skip


@docs_group.command("list")
@click.argument("case")
@json_option
@click.pass_context
def docs_list(ctx: click.Context, case: str, as_json: bool) -> None:
    """The case's reports and how many of their proposals are still open."""
    with workspace(ctx) as ws, ws.session() as s:
        case_id = cases.find_case(s, case).id
        rows: list[dict[str, Any]] = [
            {
                "id": r.id,
                "format": r.format,
                "published": r.published and r.published.isoformat(),
                "characters": r.characters,
                "languages": r.languages,
                "open": suggestions.count(s, r.id, "open"),
            }
            for r in suggestions.reports(s, case_id)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("report", "format", "published", "characters", "languages", "open proposals")
    for r in rows:
        table.add_row(r["id"], r["format"], r["published"] or "", f"{r['characters']:,}",
                      r["languages"], str(r["open"]))  # fmt: skip
    console.print(table)


@docs_group.command("show")
@click.argument("case")
@click.argument("report")
@click.option("--status", type=click.Choice(["open", "accepted", "rejected"]), default=None)
@json_option
@click.pass_context
def docs_show(
    ctx: click.Context, case: str, report: str, status: str | None, as_json: bool
) -> None:
    """The proposals of one report, with their ids for `dalil suggestion accept`."""
    with workspace(ctx) as ws:
        vault = open_vault(ws)
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
            found = suggestions.shown(s, vault, case_id, report, status)
    if as_json:
        print_json([g.__dict__ for g in found])
        return
    table = Table("suggestion", "kind", "text", "value", "where", "status")
    for g in found:
        table.add_row(
            g.id,
            g.kind,
            g.text,
            _summary(g.value),
            g.origin,
            g.status + (" (review)" if g.needs_review and g.status == "open" else ""),
        )
    console.print(table)


@click.group("suggestion")
def suggestion_group() -> None:
    """Accept or reject facts proposed from reports."""


@suggestion_group.command("accept")
@click.argument("case")
@click.argument("suggestion")
@click.option("--record", default=None, help="The record the fact is about.")
@click.option("--field", default=None, help="The field (default: by kind of fact and record).")
@click.option("--value", default=None, help="A corrected value, as JSON.")
@click.option("--confidence", default="single_source", show_default=True)
@user_option
@click.pass_context
def suggestion_accept(
    ctx: click.Context,
    case: str,
    suggestion: str,
    record: str | None,
    field: str | None,
    value: str | None,
    confidence: str,
    user: str | None,
) -> None:
    """Accept a proposal as a fact, cited to the exact place in the report. Reading the
    report again from the vault is a custody event (a ``view``) naming ``--user`` or the
    workspace's operator, who is also the fact's author."""
    try:
        corrected = json.loads(value) if value is not None else None
    except json.JSONDecodeError as err:
        raise InvalidInput(f"not JSON: {err.msg}", path="--value") from err
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        vault = open_vault(ws, actor)
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
            made = suggestions.accept(
                s,
                vault,
                case_id,
                suggestion,
                actor,
                record_id=record,
                field=field,
                value=corrected,
                confidence=confidence,
            )
            click.echo(f"accepted as assertion {made.id} ({made.field} of {made.subject_id})")


@suggestion_group.command("reject")
@click.argument("case")
@click.argument("suggestion")
@click.option("--note", default="", help="Why (kept with the suggestion).")
@click.option("--actor", default="cli", show_default=True)
@click.pass_context
def suggestion_reject(
    ctx: click.Context, case: str, suggestion: str, note: str, actor: str
) -> None:
    """Reject a proposal."""
    with workspace(ctx) as ws, ws.session() as s:
        suggestions.reject(s, cases.find_case(s, case).id, suggestion, actor, note)
    click.echo("rejected")


@click.group("lexicon")
def lexicon_group() -> None:
    """The workspace's additions to the extraction lexicons."""


@lexicon_group.command("add")
@click.argument("kind", type=click.Choice(["act", "actor"]))
@click.argument("phrase")
@click.option("--type", "act_type", default=None, help="Act type (act_type vocabulary).")
@click.option("--role", type=click.Choice(["perpetrator", "victim_group", "person"]), default=None)
@click.option("--name", default=None, help="The group or person as it is recorded.")
@click.option("--actor", default="cli", show_default=True)
@click.pass_context
def lexicon_add(ctx: click.Context, kind: str, phrase: str, act_type: str | None,
                role: str | None, name: str | None, actor: str) -> None:  # fmt: skip
    """Teach the extractor a phrase ("Desert Hawks" is a perpetrator group; "نحروا" is a
    killing)."""
    value = {"type": act_type} if kind == "act" else {"role": role, "name": name or phrase}
    with workspace(ctx) as ws, ws.session() as s:
        added = suggestions.add_lexicon_entry(
            s, kind, phrase, {k: v for k, v in value.items() if v}, actor
        )
    click.echo("added" if added else "already in the lexicon")
