"""dalil's command-line interface: a thin layer over the library.

Every command parses its arguments, calls :mod:`dalil`, and prints the result (as text,
or as JSON with ``--json``). A :class:`~dalil.errors.UserError` or workspace problem
becomes one line on stderr, ``error [code] path: message``, and exit status 2; a storage
failure exits 1. Tracebacks are shown only with ``DALIL_DEBUG=1``.

This module holds only the root group with its global options, the registration of the
command groups (one module of ``dalil.cli`` per group: ``case_commands``,
``vault_commands``, …) and the error handling of :func:`main`.

Owns: the ``dalil`` command, its groups and their output.

May use: every library package (it sits on top); never the web app's internals beyond
starting it (``dalil serve``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dalil.cli import (
    access_commands,
    backup_commands,
    case_commands,
    docs_commands,
    estimate_commands,
    exchange_commands,
    extract_commands,
    gazetteer_commands,
    legal_commands,
    linkage_commands,
    server_commands,
    vault_commands,
    vocab_commands,
    workspace_commands,
)
from dalil.cli.common import check_passphrase_env, console, passphrase_source
from dalil.errors import DalilError, StorageError
from dalil.vault.keys import WrongPassphrase


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


for command in (
    workspace_commands.init,
    workspace_commands.demo,
    case_commands.case_group,
    exchange_commands.export_cmd,
    exchange_commands.import_cmd,
    server_commands.serve,
    gazetteer_commands.gazetteer_group,
    vocab_commands.vocab_group,
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
case_commands.case_group.add_command(access_commands.add_member)
case_commands.case_group.add_command(access_commands.remove_member)


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
