"""CLI for the evidence vault, custody ledger, bundles and keys (thin over dalil.vault)."""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from dalil.cli.common import (
    custody_actor,
    json_option,
    passphrase_from_env,
    print_json,
    progress,
    user_option,
    workspace,
)
from dalil.errors import InvalidInput
from dalil.records import cases
from dalil.vault.ledger import SignedHead
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def _passphrase(confirm: bool = False, prompt: str = "Vault passphrase") -> str:
    given = passphrase_from_env()
    if given:
        return given.value
    if not sys.stdin.isatty():
        raise InvalidInput(
            "set DALIL_PASSPHRASE (or DALIL_PASSPHRASE_FILE) or run in a terminal to be asked "
            "for the passphrase",
            path="passphrase",
        )
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def open_vault(ws: Workspace, user: str | None = None) -> Vault:
    """Unlock the workspace's vault, creating it (and asking for a new passphrase) if needed;
    the creation's custody event names ``user`` or the workspace's operator
    (:func:`~dalil.cli.common.custody_actor`)."""
    if Vault.exists(ws):
        return Vault.unlock(ws, _passphrase())
    actor = custody_actor(ws, user)
    click.echo("This workspace has no vault yet; choose a passphrase to create it.", err=True)
    return Vault.create(ws, _passphrase(confirm=True, prompt="New vault passphrase"), actor)


def checkpoint_signer(ws: Workspace) -> Callable[[], SignedHead] | None:
    """What ``dalil report`` passes as ``casefile.build(sign=...)``: signs a tree head
    (unlocking the vault then, not before) only if the case file needs a head that covers
    its evidence. None, so the file shows the newest head and says what it does not
    cover, when the workspace has no vault or no passphrase can be had (no
    DALIL_PASSPHRASE / DALIL_PASSPHRASE_FILE and no terminal to ask in)."""
    if not Vault.exists(ws) or not (passphrase_from_env() or sys.stdin.isatty()):
        return None
    return lambda: open_vault(ws).checkpoint()


@click.group("vault")
def vault_group() -> None:
    """Evidence vault: add, read, export, verify; custody log; checkpoints."""


@vault_group.command("init")
@user_option
@click.pass_context
def vault_init(ctx: click.Context, user: str | None) -> None:
    """Create the workspace's vault and custody ledger (asks for a new passphrase).

    The web app needs it: every sign-in, access decision and read of protected data is a
    ledger entry."""
    with workspace(ctx) as ws:
        if Vault.exists(ws):
            raise InvalidInput("this workspace already has a vault", path="vault")
        open_vault(ws, user)
        click.echo(f"vault created in {ws.home}; keep the passphrase and recovery shares safe")


@vault_group.command("add")
@click.argument("case")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", default=None, help="Where the item came from (URL, device, person).")
@click.option("--method", default=None, help="How it was acquired (download, handed over, ...).")
@click.option("--acquired-by", default=None, help="Who acquired it.")
@click.option(
    "--acquired-at",
    default=None,
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="When it was acquired (UTC), e.g. 2025-03-09T14:30.",
)
@click.option("--notes", default=None)
@click.option("--derived-from", default=None, help="Item id or sha256 this file derives from.")
@click.option(
    "--derivation",
    default=None,
    help="redacted_copy, transcript, translation, excerpt, conversion.",
)
@user_option
@click.pass_context
def vault_add(
    ctx: click.Context,
    case: str,
    files: tuple[Path, ...],
    source: str | None,
    method: str | None,
    acquired_by: str | None,
    acquired_at: datetime | None,
    notes: str | None,
    derived_from: str | None,
    derivation: str | None,
    user: str | None,
) -> None:
    """Ingest files; prints each sha256 and ledger index once it is durable."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        vault = open_vault(ws, actor)
        original = None
        if derived_from:
            with ws.session() as s:
                original = vault.item(s, case_id, derived_from).id
        with progress() as bar:
            task = bar.add_task("ingesting", total=len(files))
            for path in files:
                r = vault.add(
                    case_id,
                    path,
                    actor,
                    source=source,
                    method=method,
                    acquired_by=acquired_by,
                    acquired_at=acquired_at.replace(tzinfo=UTC) if acquired_at else None,
                    notes=notes,
                    derived_from=original,
                    derivation=derivation,
                )
                click.echo(
                    f"{r.sha256}  ledger {r.ledger_index}  {r.media_type}"
                    + ("  (already in case: re-ingest recorded)" if r.duplicate else "")
                )
                bar.advance(task)


@vault_group.command("list")
@click.argument("case")
@json_option
@click.pass_context
def vault_list(ctx: click.Context, case: str, as_json: bool) -> None:
    """Evidence items of a case (hashes and types; names need `vault show`)."""
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        rows = [
            {
                "id": i.id,
                "sha256": i.sha256,
                "size": i.size,
                "media_type": i.media_type,
                "ledger_index": i.ingest_index,
                "derived_from": i.derived_from_id,
            }
            for i in open_vault(ws).items(case_id)
        ]
    if as_json:
        print_json(rows)
    else:
        for r in rows:
            click.echo(
                f"{r['sha256']}  {r['size']:>12}  {r['media_type']:<30} ledger {r['ledger_index']}"
            )


@vault_group.command("show")
@click.argument("case")
@click.argument("item")
@user_option
@click.pass_context
def vault_show(ctx: click.Context, case: str, item: str, user: str | None) -> None:
    """An item's metadata (recorded as a view in the custody ledger)."""
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        actor = custody_actor(ws, user)
        print_json(open_vault(ws, actor).describe(case_id, item, actor))


@vault_group.command("get")
@click.argument("case")
@click.argument("item")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--purpose", default="download", help="Why (recorded in the ledger).")
@user_option
@click.pass_context
def vault_get(
    ctx: click.Context, case: str, item: str, out: Path, purpose: str, user: str | None
) -> None:
    """Write an item's original bytes to OUT (recorded as a download)."""
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        actor = custody_actor(ws, user)
        sha = open_vault(ws, actor).download(case_id, item, out, actor, purpose)
    click.echo(f"{sha} -> {out}")


@vault_group.command("log")
@click.argument("case")
@json_option
@click.pass_context
def vault_log(ctx: click.Context, case: str, as_json: bool) -> None:
    """Custody history of a case's evidence."""
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        entries = open_vault(ws).log(case_id)
    if as_json:
        print_json(entries)
    else:
        for e in entries:
            click.echo(
                f"{e['index']:>8}  {e['time']}  {e['action']:<12} {e['actor']:<16} "
                f"{e['item'] or ''}"
            )


@vault_group.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the signed tree head to this file, for an outside witness.",
)
@click.pass_context
def vault_checkpoint(ctx: click.Context, out: Path | None) -> None:
    """Sign the current ledger tree head (refused if history was rewritten)."""
    with workspace(ctx) as ws:
        head = open_vault(ws).checkpoint()
    text = json.dumps(head.to_dict(), indent=1, sort_keys=True)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    click.echo(text)


@vault_group.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="An earlier checkpoint to check the ledger against (repeatable).",
)
@click.pass_context
def vault_verify(ctx: click.Context, checkpoint_files: tuple[Path, ...]) -> None:
    """Re-hash every blob, re-check the ledger and tree heads; exit 1 naming every fault."""
    from dalil.vault.service import read_checkpoint

    with workspace(ctx) as ws:
        vault = open_vault(ws)
        with progress() as bar:
            task = bar.add_task("verifying", total=None)
            report = vault.verify(
                [read_checkpoint(p) for p in checkpoint_files],
                progress=lambda stage: bar.update(task, description=f"verifying {stage}"),
            )
    for notice in report.notices:
        click.echo(f"notice: {notice}", err=True)
    for fault in report.faults:
        click.echo(f"FAULT: {fault}")
    click.echo(
        f"{report.blobs} blobs, {report.entries} ledger entries, {report.heads} tree heads: "
        + ("OK" if report.ok else f"{len(report.faults)} FAULTS")
    )
    if not report.ok:
        sys.exit(1)


@vault_group.command("export")
@click.argument("case")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@user_option
@click.pass_context
def vault_export(ctx: click.Context, case: str, out: Path, user: str | None) -> None:
    """Write the case's evidence bundle (verifiable offline)."""
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
        actor = custody_actor(ws, user)
        vault = open_vault(ws, actor)
        with progress() as bar:
            task = bar.add_task("exporting", total=None)
            head = vault.export_bundle(
                case_id,
                out,
                actor,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    click.echo(f"bundle {out}: tree size {head.tree_size}, root {head.root_hash.hex()}")
    click.echo(f"public key {base64.b64encode(head.public_key).decode()}")


@click.command("verify-bundle")
@click.argument("bundle", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--key", default=None, help="Expected Ed25519 public key (base64) of the publisher.")
@json_option
def verify_bundle_cmd(bundle: Path, key: str | None, as_json: bool) -> None:
    """Verify an evidence bundle, or a case file's verification appendix (HTML or PDF),
    offline (no workspace needed); exit 1 on any fault."""
    from dalil.vault.bundle import parse_public_key, verify_bundle

    pinned = parse_public_key(key) if key is not None else None
    faults, summary = verify_bundle(bundle, pinned)
    if as_json:
        print_json({"ok": not faults, "faults": faults, **summary})
    else:
        for fault in faults:
            click.echo(f"FAULT: {fault}")
        click.echo(
            f"{summary.get('items', 0)} items, tree size {summary.get('tree_size')}: "
            + ("OK" if not faults else f"{len(faults)} FAULTS")
        )
    if faults:
        sys.exit(1)


@click.group("keys")
def keys_group() -> None:
    """Vault keys: recovery shares, recovery, rotation, passphrase change."""


@keys_group.command("shares")
@click.option("-k", "k", default=3, show_default=True, help="Shares needed to recover.")
@click.option("-n", "n", default=5, show_default=True, help="Shares made.")
@user_option
@click.pass_context
def keys_shares(ctx: click.Context, k: int, n: int, user: str | None) -> None:
    """Split the master key into k-of-n recovery shares (give each to a different person)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        for share in open_vault(ws, actor).shares(k, n, actor):
            click.echo(share)


@keys_group.command("recover")
@click.option(
    "--share", "shares", multiple=True, required=True, help="A recovery share (repeat k times)."
)
@user_option
@click.pass_context
def keys_recover(ctx: click.Context, shares: tuple[str, ...], user: str | None) -> None:
    """Rebuild the key file from k shares and set a new passphrase."""
    from dalil.vault.service import recover

    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        recover(
            ws,
            list(shares),
            _passphrase(confirm=True, prompt="New vault passphrase"),
            actor,
        )
    click.echo("key file rebuilt; the vault opens with the new passphrase")


@keys_group.command("rotate")
@user_option
@click.pass_context
def keys_rotate(ctx: click.Context, user: str | None) -> None:
    """New master key; re-wraps data keys (no evidence is re-encrypted)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        vault = open_vault(ws, actor)
        new_id = vault.rotate(_passphrase(), actor)
    click.echo(
        f"master key rotated to key {new_id}; make new recovery shares (`dalil keys shares`)"
    )


@keys_group.command("passwd")
@user_option
@click.pass_context
def keys_passwd(ctx: click.Context, user: str | None) -> None:
    """Change the vault passphrase (DALIL_NEW_PASSPHRASE or prompt)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        vault = open_vault(ws, actor)
        new = os.environ.get("DALIL_NEW_PASSPHRASE") or _passphrase(
            confirm=True, prompt="New vault passphrase"
        )
        vault.change_passphrase(new, actor)
    click.echo("passphrase changed")
