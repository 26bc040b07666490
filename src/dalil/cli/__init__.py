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

import importlib
import os
import sys
from pathlib import Path

import click

from dalil.cli.common import check_passphrase_env, console, passphrase_source
from dalil.errors import DalilError, StorageError
from dalil.vault.keys import WrongPassphrase

#: Every top-level command, by name, and where it lives ("module:attribute" in dalil.cli).
#: A command's module, and the library it uses, is imported only when that command runs
#: (or when help lists them all): ``dalil vault add`` does not load pandas, numba and
#: scipy, which estimation and linkage need, so a small command starts small.
COMMANDS: dict[str, str] = {
    "init": "workspace_commands:init",
    "demo": "workspace_commands:demo",
    "case": "case_commands:case_group",
    "export": "exchange_commands:export_cmd",
    "import": "exchange_commands:import_cmd",
    "serve": "server_commands:serve",
    "gazetteer": "gazetteer_commands:gazetteer_group",
    "vocab": "vocab_commands:vocab_group",
    "vault": "vault_commands:vault_group",
    "keys": "vault_commands:keys_group",
    "verify-bundle": "vault_commands:verify_bundle_cmd",
    "lists": "linkage_commands:lists_group",
    "link-lists": "linkage_commands:link_lists",
    "link": "linkage_commands:link_case",
    "review": "linkage_commands:review_group",
    "estimate": "estimate_commands:estimate_cmd",
    "extract": "extract_commands:extract_cmd",
    "docs": "docs_commands:docs_group",
    "suggestion": "docs_commands:suggestion_group",
    "lexicon": "docs_commands:lexicon_group",
    "user": "access_commands:user_group",
    "token": "access_commands:token_group",
    "identity": "access_commands:identity_group",
    "backup": "backup_commands:backup_cmd",
    "restore": "backup_commands:restore_cmd",
    "legal": "legal_commands:legal_group",
    "checklist": "legal_commands:checklist_group",
    "report": "legal_commands:report_cmd",
}


class LazyGroup(click.Group):
    """The root group: a command's module is imported when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(f"dalil.cli.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup)
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
