"""``dalil case``: list, create, show and reindex cases, over :mod:`dalil.records`
(``dalil case add-member`` and ``remove-member`` come from :mod:`dalil.cli.access_commands`)."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from dalil.cli import access_commands
from dalil.cli.common import json_option, out, print_json, progress, workspace
from dalil.records import cases, person_search


@click.group("case")
def case_group() -> None:
    """List, create and show cases."""


@case_group.command("list")
@json_option
@click.pass_context
def case_list(ctx: click.Context, as_json: bool) -> None:
    """List the cases in the workspace."""
    with workspace(ctx) as ws, ws.session() as s:
        summaries = cases.list_cases(s)
    if as_json:
        print_json([c.to_dict() for c in summaries])
        return
    table = Table("title", "events", "victims", "burial sites")
    table.add_column("id", no_wrap=True)
    for c in summaries:
        table.add_row(c.title, str(c.events), str(c.victims), str(c.burial_sites), c.id)
    out.print(table)


@case_group.command("create")
@click.argument("title")
@click.option("--description", default=None)
@click.option("--fictional", is_flag=True, help="Mark the case as fictional (training, demos).")
@json_option
@click.pass_context
def case_create(
    ctx: click.Context, title: str, description: str | None, fictional: bool, as_json: bool
) -> None:
    """Create a case."""
    with workspace(ctx) as ws, ws.session() as s:
        case = cases.create_case(
            s, title, actor=ws.settings.actor, description=description, fictional=fictional
        )
        summary = cases.summarise(s, case)
    if as_json:
        print_json(summary.to_dict())
    else:
        click.echo(summary.id)


@case_group.command("show")
@click.argument("case")
@json_option
@click.pass_context
def case_show(ctx: click.Context, case: str, as_json: bool) -> None:
    """Show a case: counts, events, burial sites and open disagreements."""
    from dalil.records.overview import case_overview

    with workspace(ctx) as ws, ws.session() as s:
        overview = case_overview(s, cases.find_case(s, case).id)
    if as_json:
        print_json(overview.to_dict())
        return
    c = overview.summary
    heading = Text(c.title, style="bold")
    heading.append(f"\n{c.id}")
    if c.fictional:
        heading.append("  (fictional)", style="red")
    out.print(heading)
    out.print(
        f"events {c.events} · acts {c.acts} · victims {c.victims} · burial sites {c.burial_sites} "
        f"· interviews {c.interviews} · sources {c.sources} "
        f"· disagreements {len(overview.disagreements)}"
    )
    table = Table("label", "event", "date", "documented", "reported casualties")
    for e in overview.events:
        date = f"disputed: {e.date}" if e.date_disputed else e.date
        table.add_row(e.label or "", e.title, date, str(e.documented), "; ".join(e.casualties))
    out.print(table)
    for site in overview.burial_sites:
        out.print(
            f"burial site {site.label}: {site.title} — estimated "
            f"{'; '.join(site.casualties) or 'unknown'}"
        )


@case_group.command("reindex")
@click.argument("case")
@click.pass_context
def case_reindex(ctx: click.Context, case: str) -> None:
    """Rebuild a case's victim search index (keys and result cards) from its current
    facts: a repair, for data changed other than through dalil."""
    with workspace(ctx) as ws, progress() as bar, ws.session() as s:
        case_id = cases.find_case(s, case).id
        task = bar.add_task("indexing persons", total=None)
        n = person_search.rebuild(
            s, case_id, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    click.echo(f"rebuilt the search index of {n} persons")


# ``case add-member`` and ``case remove-member`` live with the other access commands
case_group.add_command(access_commands.add_member)
case_group.add_command(access_commands.remove_member)
