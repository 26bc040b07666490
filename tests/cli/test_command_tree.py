"""The command tree of ``dalil``, pinned: every command of every group, so that moving
commands between the modules of :mod:`dalil.cli` (issue 21) cannot drop or rename one,
and every command answers ``--help`` with exit status 0."""

from __future__ import annotations

import click
from click.testing import CliRunner

from dalil.cli import cli

COMMANDS = [
    "backup",
    "case",
    "case/add-member",
    "case/create",
    "case/list",
    "case/reindex",
    "case/remove-member",
    "case/show",
    "checklist",
    "checklist/set",
    "checklist/show",
    "demo",
    "docs",
    "docs/add",
    "docs/list",
    "docs/show",
    "estimate",
    "export",
    "extract",
    "gazetteer",
    "gazetteer/import",
    "gazetteer/search",
    "identity",
    "identity/erase",
    "import",
    "init",
    "keys",
    "keys/passwd",
    "keys/recover",
    "keys/rotate",
    "keys/shares",
    "legal",
    "legal/assess",
    "legal/confirm",
    "legal/elements",
    "legal/matrix",
    "lexicon",
    "lexicon/add",
    "link",
    "link-lists",
    "lists",
    "lists/import",
    "lists/list",
    "report",
    "restore",
    "review",
    "review/decide",
    "review/next",
    "serve",
    "suggestion",
    "suggestion/accept",
    "suggestion/reject",
    "token",
    "token/create",
    "token/list",
    "token/revoke",
    "user",
    "user/add",
    "user/disable",
    "user/totp",
    "vault",
    "vault/add",
    "vault/checkpoint",
    "vault/export",
    "vault/get",
    "vault/init",
    "vault/list",
    "vault/log",
    "vault/show",
    "vault/verify",
    "verify-bundle",
    "vocab",
    "vocab/add",
    "vocab/list",
]


def _paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the root group loads its commands on demand
        command = group.get_command(ctx, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _paths(command, (*prefix, name))
    return found


def test_every_command_is_registered_once_under_its_name() -> None:
    paths = _paths(cli)
    assert sorted("/".join(p) for p in paths) == sorted(COMMANDS)


def test_every_command_answers_help() -> None:
    runner = CliRunner()
    for path in [(), *_paths(cli)]:
        result = runner.invoke(cli, [*path, "--help"], prog_name="dalil")
        assert result.exit_code == 0, (path, result.output)
        assert result.output.startswith(f"Usage: dalil {' '.join(path)}".rstrip()), path
