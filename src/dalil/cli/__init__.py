"""dalil's command-line interface: a thin layer over the library.

Every command parses its arguments, calls :mod:`dalil`, and prints the result (as text,
or as JSON with ``--json``). A :class:`~dalil.errors.UserError` or workspace problem
becomes one line on stderr, ``error [code] path: message``, and exit status 2; a storage
failure exits 1. Tracebacks are shown only with ``DALIL_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from dalil.cli import (
    access_commands,
    backup_commands,
    docs_commands,
    estimate_commands,
    extract_commands,
    legal_commands,
    linkage_commands,
    vault_commands,
)
from dalil.cli.common import (
    Passphrase,
    check_passphrase_env,
    console,
    json_option,
    out,
    passphrase_from_env,
    passphrase_source,
    print_json,
    progress,
    settings_of,
    unlock_vault,
    workspace,
)
from dalil.errors import DalilError, InvalidInput, StorageError, WorkspaceError, WorkspaceMissing
from dalil.places import gazetteer
from dalil.records import cases, exchange, person_search, sharing
from dalil.vault import failpoints
from dalil.vault.keys import WrongPassphrase
from dalil.vault.service import Vault
from dalil.workspace import Workspace


@click.group()
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    default=None,
    help="Workspace directory (default: $DALIL_HOME or ./dalil-data).",
)
@click.version_option(package_name="dalil")
def cli(home: Path | None) -> None:
    """dalil: evidence, victims, counts and case files for investigations into unlawful killings."""
    check_passphrase_env()


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create an empty workspace."""
    ws = Workspace.create(settings_of(ctx))
    ws.close()
    click.echo(f"created workspace at {ws.home}")


@cli.command()
@click.option(
    "--seed", default=2025, show_default=True, help="Seed of the fictional case generator."
)
@click.pass_context
def demo(ctx: click.Context, seed: int) -> None:
    """Create a workspace (if needed) holding the fictional demo case and its victim lists."""
    from dalil.demo import build_demo

    settings = settings_of(ctx)
    try:
        ws = Workspace.open(settings)
    except WorkspaceMissing:
        ws = Workspace.create(settings)
    with ws, console.status(Text("building the fictional demo case")) as status:
        vault = _demo_vault(ws)
        result = build_demo(
            ws, seed=seed, progress=lambda msg: status.update(Text(f"demo: {msg}")), vault=vault
        )
    click.echo(f"demo case {result.case_id} (FICTIONAL) created in {ws.home}")
    _demo_account(ws, result.case_id)
    for key, value in result.counts.items():
        click.echo(f"  {key}: {value}")
    click.echo("victim lists (imported into the case; link them with `dalil link CASE`):")
    for path in result.lists:
        click.echo(f"  {path}")


def _demo_vault(ws: Workspace) -> Vault | None:
    """The demo's vault, created with the passphrase of ``DALIL_PASSPHRASE`` or
    ``DALIL_PASSPHRASE_FILE`` when one is set (so a later ``dalil serve`` with the same
    variable opens it). With neither set, a random passphrase is kept in
    ``<home>/demo/passphrase.txt`` (mode 600) so that ``make run`` can unlock it: fine for
    a fictional case on one machine; a real workspace keeps its passphrase elsewhere."""
    import secrets

    given = passphrase_from_env()
    path = ws.home / "demo" / "passphrase.txt"
    if Vault.exists(ws):
        if given is None and path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            given = Passphrase(lines[0], str(path)) if lines and lines[0] else None
        return unlock_vault(ws, given) if given else None
    if given is not None:
        vault = Vault.create(ws, given.value, "demo")
        click.echo(f"vault created with the passphrase of {given.source.split('=')[0]}")
        return vault
    passphrase = secrets.token_urlsafe(18)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(passphrase + "\n", encoding="utf-8")
    path.chmod(0o600)
    click.echo(f"vault created; its passphrase is in {path} (demo only)")
    return Vault.create(ws, passphrase, "demo")


def _demo_account(ws: Workspace, case_id: str) -> None:
    """A sign-in for the fictional demo: user ``demo``, investigator in the demo case, with a
    random password printed once and kept in ``<home>/demo/credentials.txt`` (mode 600)."""
    import secrets

    from dalil.access import accounts, policy

    password = secrets.token_urlsafe(12)
    with ws.session() as s:
        try:
            user = accounts.find_user(s, "demo")
        except InvalidInput:
            user = accounts.add_user(s, "demo", password)
            path = ws.home / "demo" / "credentials.txt"
            path.write_text(f"user: demo\npassword: {password}\n", encoding="utf-8")
            path.chmod(0o600)
            click.echo(f"sign in to the web app as demo / {password} (also in {path})")
        policy.add_member(s, case_id, user, "investigator", "demo")


@cli.group("case")
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


@cli.command("export")
@click.argument("case")
@click.argument("out_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--scope", help="Share under this consent scope (e.g. un_mechanism, "
              "state_committee, public_anonymised): withholds the material of witnesses "
              "whose consent does not cover it.")  # fmt: skip
@click.option("--to", "recipient", help="Who receives it (recorded in the custody ledger).")
@click.pass_context
def export_cmd(
    ctx: click.Context, case: str, out_file: Path, scope: str | None, recipient: str | None
) -> None:
    """Export a case as one JSON document (format dalil-case/1).

    Without --scope this is the team's own complete copy (every witness's material);
    anything that leaves the team should be exported with --scope."""
    with workspace(ctx) as ws, ws.session() as s:
        case_id = cases.find_case(s, case).id
        if scope is None:
            doc = exchange.export_case(s, case_id)
        else:
            doc = sharing.scoped_document(s, case_id, scope)
    if scope is not None:  # recorded before the file exists: no unrecorded sharing
        with workspace(ctx) as ws:
            sharing.record_export(ws, ws.settings.actor, doc, recipient)
    tmp = out_file.with_name(out_file.name + ".part")
    tmp.write_text(exchange.dumps(doc), encoding="utf-8")
    tmp.replace(out_file)
    if scope is not None:
        note = doc["sharing"]
        for w in note["withheld_persons"]:
            click.echo(f"withheld {w['label']}: {w['why']}")
        click.echo(f"withheld {note['withheld_records']} records and "
                   f"{note['withheld_assertions']} assertions under scope {scope}")  # fmt: skip
    else:
        click.echo("complete copy, every witness's material included: for the team's own use")
    click.echo(
        f"exported {len(doc['records'])} records and {len(doc['assertions'])} assertions "
        f"to {out_file}"
    )


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Import a case document; all or nothing."""
    with workspace(ctx) as ws:
        if file.stat().st_size > ws.settings.max_import_bytes:
            raise InvalidInput(
                f"file is larger than the import limit of {ws.settings.max_import_bytes} bytes",
                path=str(file),
            )
        doc = exchange.parse(file.read_bytes(), max_bytes=ws.settings.max_import_bytes)
        with progress() as bar, ws.session() as s:
            task = bar.add_task("importing", total=len(doc.records) + len(doc.assertions))
            case = exchange.import_case(
                s,
                doc,
                max_chars=ws.settings.max_text_chars,
                progress=lambda done, total: bar.update(task, completed=done),
            )
            case_id = case.id
    failpoints.hit("after_commit_before_ack")
    click.echo(f"imported case {case_id}")


@cli.command()
@click.option("--host", default=None, help="Interface (default from settings: 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default from settings: 8000).")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on a non-loopback address (put TLS in front: see docs/server.md).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-Proto/For from a reverse proxy on this machine (TLS terminated "
    "there): secure cookies and HSTS follow the proxy's HTTPS.",
)
@click.option(
    "--workers",
    default=1,
    type=click.IntRange(1, 64),
    help="Server processes (one per CPU core for a busy team; each keeps its own caches "
    "and runs its own background jobs).",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str | None, port: int | None, allow_remote: bool,
    behind_proxy: bool, workers: int,
) -> None:  # fmt: skip
    """Serve the web app and API."""
    import uvicorn

    from dalil.access import audit
    from dalil.web import create_app

    settings = settings_of(ctx)
    host = host or settings.host
    if host not in ("127.0.0.1", "localhost", "::1") and not allow_remote:
        raise InvalidInput(
            "serving beyond this machine needs TLS in front (a reverse proxy, docs/server.md); "
            "use 127.0.0.1 with --behind-proxy, or --allow-remote if TLS is handled otherwise",
            path="--host",
        )
    options: dict[str, Any] = {
        "host": host, "port": port or settings.port, "log_level": "warning",
        "proxy_headers": behind_proxy, "server_header": False,
        "forwarded_allow_ips": "127.0.0.1,::1" if behind_proxy else None,
    }  # fmt: skip
    # open and unlock here, not in the server's start-up, so that a missing workspace or
    # vault or a wrong passphrase is one line naming its source, not a server traceback
    given = passphrase_from_env()
    ws = Workspace.open(settings)
    try:
        with ws.session() as s:
            if not audit.ready(s):
                raise WorkspaceError(
                    "this workspace has no vault yet, and the web app records every access "
                    "in its custody ledger: create it with `dalil vault init`",
                    path=str(settings.home),
                )
        vault = unlock_vault(ws, given) if given else None
        click.echo(f"dalil serving {settings.home} on http://{host}:{options['port']}/")
        if vault is None:
            click.echo(
                "the vault stays locked (no DALIL_PASSPHRASE or DALIL_PASSPHRASE_FILE): "
                "evidence and identities answer 503",
                err=True,
            )
        if workers == 1:
            uvicorn.run(create_app(settings, workspace=ws, vault=vault), **options)
            return
    finally:
        ws.close()
    os.environ["DALIL_HOME"] = str(settings.home)  # each worker process builds its own app
    uvicorn.run("dalil.web:create_app", factory=True, workers=workers, **options)


@cli.group("gazetteer")
def gazetteer_group() -> None:
    """Look up places; import GeoNames dumps."""


@gazetteer_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def gazetteer_import(ctx: click.Context, file: Path) -> None:
    """Import a GeoNames country dump (tab-separated, e.g. SY.txt); all or nothing."""
    with workspace(ctx) as ws, progress() as bar, ws.session() as s:
        task = bar.add_task(f"importing {file.name}", total=None)
        n = gazetteer.import_geonames(
            s, file, progress=lambda done: bar.update(task, completed=done)
        )
    click.echo(f"imported {n} places from {file.name}")


@gazetteer_group.command("search")
@click.argument("name")
@json_option
@click.pass_context
def gazetteer_search(ctx: click.Context, name: str, as_json: bool) -> None:
    """Find places by name in Arabic or Latin script."""
    with workspace(ctx) as ws, ws.session() as s:
        matches = gazetteer.lookup(s, name)
    if as_json:
        print_json([m.__dict__ | {"ref": m.ref} for m in matches])
        return
    table = Table("ref", "name", "matched", "governorate", "lat", "lon", "population")
    for m in matches:
        table.add_row(
            m.ref,
            m.name,
            m.matched_name,
            m.admin1_name or "",
            f"{m.latitude:.5f}",
            f"{m.longitude:.5f}",
            str(m.population),
        )
    out.print(table)


@cli.group("vocab")
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


for command in (
    vault_commands.vault_group,
    vault_commands.keys_group,
    vault_commands.verify_bundle_cmd,
    *linkage_commands.COMMANDS,
    estimate_commands.estimate_cmd,
    extract_commands.extract_cmd,
    docs_commands.docs_group,
    docs_commands.suggestion_group,
    docs_commands.lexicon_group,
    access_commands.user_group,
    access_commands.token_group,
    access_commands.identity_group,
    backup_commands.backup_cmd,
    backup_commands.restore_cmd,
    *legal_commands.COMMANDS,
):
    cli.add_command(command)
case_group.add_command(access_commands.add_member)
case_group.add_command(access_commands.remove_member)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn dalil errors into one line and an exit status."""
    try:
        cli.main(args=argv, prog_name="dalil", standalone_mode=False)
    except click.exceptions.Abort:
        console.print("aborted")
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except DalilError as err:
        if os.environ.get("DALIL_DEBUG"):
            raise
        if isinstance(err, WrongPassphrase) and not err.path:
            err.path = passphrase_source()  # which passphrase was wrong, never its value
        where = f" {err.path}:" if err.path else ""
        click.echo(f"error [{err.code}]{where} {err.message}", err=True)
        for line in getattr(err, "problems", []):
            click.echo(f"  {line}", err=True)
        sys.exit(1 if isinstance(err, StorageError) else 2)
    except OSError as err:
        if os.environ.get("DALIL_DEBUG"):
            raise
        click.echo(f"error [io.error] {err.filename or ''}: {err.strerror or err}", err=True)
        sys.exit(2)
