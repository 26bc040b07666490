"""``dalil legal``, ``dalil checklist`` and ``dalil report``: thin over :mod:`dalil.legal`
and :mod:`dalil.report`."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from dalil.cli.common import console, json_option, print_json, workspace
from dalil.legal import assessments, checklists
from dalil.legal.casebook import find_record
from dalil.legal.elements import STATUSES, catalogue
from dalil.records import cases


@click.group("legal")
def legal_group() -> None:
    """Elements of crimes: the catalogue, assessments and the element matrix."""


@legal_group.command("elements")
@json_option
def legal_elements(as_json: bool) -> None:
    """The crimes and elements dalil assesses (versioned data, see docs/legal.md)."""
    cat = catalogue()
    if as_json:
        print_json(asdict(cat))
        return
    click.echo(f"catalogue {cat.version}: {cat.source}")
    for c in cat.crimes:
        click.echo(f"\n{c.code}  {c.title} ({c.article})")
        for e in c.elements:
            where = "context" if e.contextual else "element"
            click.echo(f"  {e.code:<18} [{where}; {' '.join(e.evidence)}] {e.text}")


def _row(r: assessments.Row) -> dict[str, Any]:
    return {
        "element": r.element.code,
        "status": r.status,
        "standard": r.standard,
        "assessed_by": r.assessed_by,
        "assessed_at": r.assessed_at,
        "note": r.note,
        "links": [asdict(x) for x in r.links],
        "suggestion": None
        if r.suggestion is None
        else {
            "rule": r.suggestion.rule,
            "status": r.suggestion.status,
            "reason": r.suggestion.reason,
            "assertions": len(r.suggestion.assertions),
        },
        "evidence_needed": list(r.element.evidence),
        "evidence_missing": r.evidence_missing,
    }


@legal_group.command("matrix")
@click.argument("case")
@click.argument("subject")
@click.option("--crime", "crimes", multiple=True, help="Only this crime (repeatable).")
@click.option("--gaps", is_flag=True, help="Only elements not yet supported.")
@json_option
@click.pass_context
def legal_matrix(
    ctx: click.Context, case: str, subject: str, crimes: tuple[str, ...], gaps: bool, as_json: bool
) -> None:
    """The element matrix of an incident, person or group (id or label, e.g. EV-00):
    each element's status, standard and assessor, and what the records suggest."""
    with workspace(ctx) as ws, ws.session() as s:
        case_id = cases.find_case(s, case).id
        sid = find_record(s, case_id, subject)
        found = assessments.matrix(s, case_id, sid, list(crimes) or None)
    data: list[dict[str, Any]] = [
        {
            "crime": m.crime.code,
            "title": m.crime.title,
            "rows": [_row(r) for r in (m.gaps if gaps else m.rows)],
        }
        for m in found
    ]
    if as_json:
        print_json(data)
        return
    for m in data:
        table = Table(
            "element",
            "status",
            "standard / by",
            "suggested",
            "missing evidence",
            title=f"{m['crime']}: {m['title']}",
            title_justify="left",
        )
        for r in m["rows"]:
            sug = r["suggestion"]
            table.add_row(
                r["element"],
                r["status"],
                f"{r['standard'] or ''} {r['assessed_by'] or ''}".strip(),
                f"{sug['status']}: {sug['reason']}" if sug else "",
                " ".join(r["evidence_missing"]),
            )
        console.print(table)


def _links(values: tuple[str, ...]) -> list[assessments.Link]:
    out = []
    for n, v in enumerate(values):
        kind, _, ident = v.partition(":")
        if kind not in ("assertion", "record", "evidence") or not ident:
            raise click.BadParameter(
                f"{v!r}: give KIND:ID with KIND assertion, record or evidence (--link #{n + 1})"
            )
        out.append(assessments.Link(kind, ident))  # type: ignore[arg-type]
    return out


@legal_group.command("assess")
@click.argument("case")
@click.argument("subject")
@click.argument("crime")
@click.argument("element")
@click.option("--status", type=click.Choice(STATUSES), required=True)
@click.option("--standard", required=True, help="finding_strength code, e.g. reasonable_grounds")
@click.option(
    "--link",
    "links",
    multiple=True,
    metavar="KIND:ID",
    help="An assertion, record or evidence item it rests on (repeatable).",
)
@click.option("--note", default=None)
@click.option("--actor", default="cli", show_default=True)
@click.pass_context
def legal_assess(
    ctx: click.Context,
    case: str,
    subject: str,
    crime: str,
    element: str,
    status: str,
    standard: str,
    links: tuple[str, ...],
    note: str | None,
    actor: str,
) -> None:
    """Record a finding on one element of one crime hypothesis."""
    with workspace(ctx) as ws, ws.session() as s, s.begin():
        case_id = cases.find_case(s, case).id
        vocabs = ws.vocabularies(s)
        row = assessments.assess(
            s,
            case_id,
            find_record(s, case_id, subject),
            crime,
            element,
            status=status,
            standard=standard,
            actor=actor,
            links=_links(links),
            note=note,
            vocabs=vocabs,
        )
        click.echo(f"{crime}/{element}: {row.status} ({row.standard}) by {actor} [{row.id}]")


@legal_group.command("confirm")
@click.argument("case")
@click.argument("subject")
@click.argument("crime")
@click.argument("element")
@click.option("--standard", required=True, help="finding_strength code, e.g. reasonable_grounds")
@click.option("--actor", default="cli", show_default=True)
@click.pass_context
def legal_confirm(
    ctx: click.Context, case: str, subject: str, crime: str, element: str, standard: str, actor: str
) -> None:
    """Take what the records suggest for one element as your finding."""
    with workspace(ctx) as ws, ws.session() as s, s.begin():
        case_id = cases.find_case(s, case).id
        row = assessments.confirm(
            s,
            case_id,
            find_record(s, case_id, subject),
            crime,
            element,
            standard=standard,
            actor=actor,
        )
        click.echo(
            f"{crime}/{element}: {row.status} ({row.standard}) by {actor}, resting on "
            f"{len(row.links)} assertion(s): {row.note}"
        )


@click.group("checklist")
def checklist_group() -> None:
    """Protocol checklists (minnesota, bournemouth, berkeley, casualty_recording)."""


@checklist_group.command("show")
@click.argument("case")
@click.argument("protocol")
@json_option
@click.pass_context
def checklist_show(ctx: click.Context, case: str, protocol: str, as_json: bool) -> None:
    """Each item of a protocol: computed from the records, or as a person set it."""
    with workspace(ctx) as ws, ws.session() as s:
        case_id = cases.find_case(s, case).id
        items = checklists.evaluate(s, case_id, protocol)
    if as_json:
        print_json(
            [
                {
                    "item": i.item.code,
                    "scope": i.item.scope,
                    "status": i.status,
                    "tally": i.tally,
                    "checks": [asdict(c) for c in i.checks],
                }
                for i in items
            ]
        )
        return
    table = Table(
        "item",
        "status",
        "per subject",
        "why",
        title=checklists.protocol(protocol).title,
        title_justify="left",
    )
    for i in items:
        why = i.why
        text = (
            ""
            if why is None
            else why.reason + (f"; prevented by {why.prevented_by}" if why.prevented_by else "")
        )
        tally = ", ".join(f"{n} {k}" for k, n in i.tally.items()) if i.item.scope != "case" else ""
        table.add_row(i.item.code, i.status, tally, text)
    console.print(table)


@checklist_group.command("set")
@click.argument("case")
@click.argument("protocol")
@click.argument("item")
@click.option("--status", type=click.Choice(checklists.STATUSES), required=True)
@click.option("--subject", default=None, help="For a per-death/witness/site item: id or label.")
@click.option("--reason", default=None, help="Required for not_applicable and impossible.")
@click.option("--prevented-by", default=None, help="Who made the item impossible, if known.")
@click.option("--actor", default="cli", show_default=True)
@click.pass_context
def checklist_set(
    ctx: click.Context,
    case: str,
    protocol: str,
    item: str,
    status: str,
    subject: str | None,
    reason: str | None,
    prevented_by: str | None,
    actor: str,
) -> None:
    """Set an item's status by hand (it overrides what the records would compute)."""
    with workspace(ctx) as ws, ws.session() as s, s.begin():
        case_id = cases.find_case(s, case).id
        sid = find_record(s, case_id, subject) if subject else None
        checklists.decide(
            s,
            case_id,
            protocol,
            item,
            status=status,
            actor=actor,
            subject_id=sid,
            reason=reason,
            prevented_by=prevented_by,
        )
    click.echo(f"{protocol}/{item}: {status}")


@click.command("report")
@click.argument("case")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option(
    "--audience",
    type=click.Choice(["internal", "committee", "public"]),
    default="internal",
    show_default=True,
    help="Who the file is for: decides what consent allows into it.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ar"]),
    default="en",
    show_default=True,
    help="The reader's language: the file's headings, legal texts and dates.",
)
@click.pass_context
def report_cmd(
    ctx: click.Context, case: str, fmt: str, out: Path, audience: str, lang: str
) -> None:
    """Write the case file: summary, timeline, map, counts and estimates, incidents, groups,
    burial sites, element matrix, checklists, evidence index and verification appendix."""
    from dalil.cli.vault_commands import checkpoint_signer
    from dalil.report import casefile

    with workspace(ctx) as ws:
        sign = checkpoint_signer(ws)  # a head covering the listed evidence, if one is needed
        with console.status(Text("case file")) as status, ws.session() as s:
            case_id = cases.find_case(s, case).id
            cf = casefile.build(
                s, ws.home, case_id, audience,
                say=lambda msg: status.update(Text(msg)), sign=sign, lang=lang,
            )  # fmt: skip
            status.update(Text("rendering HTML"))
            html = casefile.render_html(cf)
            data = html.encode("utf-8")
            if fmt == "pdf":
                status.update(Text("rendering PDF (WeasyPrint)"))
                data = casefile.render_pdf(html)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)
    console.print(
        f"{out}: {fmt} case file for the {audience} audience in {lang}, {len(data):,} bytes"
    )


COMMANDS = (legal_group, checklist_group, report_cmd)
