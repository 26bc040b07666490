"""``dalil extract``: thin wrapper over :mod:`dalil.extract`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from dalil.cli.common import console, json_option, print_json, settings_of
from dalil.errors import InvalidInput, WorkspaceMissing
from dalil.extract import proposals as proposing
from dalil.extract.document import read
from dalil.extract.lexicon import Lexicon
from dalil.extract.places import Gazetteer
from dalil.extract.proposals import Extractor
from dalil.workspace import Workspace


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise InvalidInput(f"--published: {value!r} is not a date (YYYY-MM-DD)") from err


def extractor_for(ctx: click.Context) -> Extractor:
    """The extractor with the workspace's gazetteer (imported GeoNames dumps included)
    when there is a workspace, otherwise with the shipped one."""
    try:
        ws = Workspace.open(settings_of(ctx))
    except WorkspaceMissing:
        return Extractor()
    with ws, ws.session() as s:
        return Extractor(Gazetteer.of(s), Lexicon())


def _summary(value: dict[str, Any]) -> str:
    shown = {k: v for k, v in value.items() if v is not None and k not in ("lat", "lon", "days")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


@click.command("extract")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--published", default=None, metavar="YYYY-MM-DD",
              help="Publication date, the anchor of relative dates (default: the "
                   "document's own, when it states one).")  # fmt: skip
@json_option
@click.pass_context
def extract_cmd(ctx: click.Context, file: Path, published: str | None, as_json: bool) -> None:
    """Propose facts (dates, places, counts, actors, acts) from a report, each with the
    exact span of text it came from. Nothing is stored: proposals are for a person to
    review (in a workspace, `dalil docs add` keeps them for review)."""
    anchor = _published(published)
    doc = read(file)
    proposals = extractor_for(ctx).propose(doc, anchor)
    if as_json:
        print_json(proposing.as_json(doc, proposals))
        return
    when = anchor or doc.published
    console.print(
        f"{file}: {doc.format}, {len(doc.text):,} characters, "
        f"languages {', '.join(sorted({p.language for p in doc.paragraphs}))}; "
        f"published {when.isoformat() if when else 'unknown (relative dates stay open)'}"
    )
    table = Table("kind", "text", "value", "where", "review")
    for p in proposals:
        table.add_row(p.kind, p.text, _summary(p.value), p.origin, "yes" if p.needs_review else "")
    console.print(table)
    console.print(f"{len(proposals)} proposals")
