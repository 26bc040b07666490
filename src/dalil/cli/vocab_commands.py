"""``dalil vocab``: list controlled vocabularies and add workspace terms, over the
workspace's vocabularies and :func:`dalil.records.add_term`."""

from __future__ import annotations

import click
from rich.table import Table

from dalil.cli.common import json_option, out, print_json, workspace


@click.group("vocab")
def vocab_group() -> None:
    """Controlled vocabularies: list them, add workspace terms."""


@vocab_group.command("list")
@click.argument("name", required=False)
@json_option
@click.pass_context
def vocab_list(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """List vocabularies, or the terms of one."""
    with workspace(ctx) as ws, ws.session() as s:
        vocabs = ws.vocabularies(s)
        if name is None:
            rows = [
                {"name": n, "title": vocabs.get(n).title, "terms": len(vocabs.get(n).terms)}
                for n in vocabs.names()
            ]
        else:
            rows = [t.__dict__ for t in vocabs.get(name).terms.values()]
    if as_json:
        print_json(rows)
        return
    table = Table(*rows[0].keys()) if rows else Table()
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    out.print(table)


@vocab_group.command("add")
@click.argument("name")
@click.argument("code")
@click.option("--en", required=True, help="English label.")
@click.option("--ar", default="", help="Arabic label.")
@click.option("--huridocs", default=None, help="Matching HURIDOCS term label.")
@click.option("--acled", default=None, help="ACLED mapping.")
@click.pass_context
def vocab_add(
    ctx: click.Context,
    name: str,
    code: str,
    en: str,
    ar: str,
    huridocs: str | None,
    acled: str | None,
) -> None:
    """Add a term to a vocabulary for this workspace."""
    from dalil.records import add_term

    with workspace(ctx) as ws, ws.session() as s:
        add_term(s, name, code, en, ar, huridocs, acled)
    click.echo(f"added {code} to {name}")
