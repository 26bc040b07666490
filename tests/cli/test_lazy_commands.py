"""Commands load their modules on demand, so a small command starts small.

Before the root group became lazy, every ``dalil`` invocation imported every command
module and with them pandas, numba and scipy (about 300 MiB and 3 s of CPU before any
work), which pushed ``dalil vault add`` past its 200 MiB memory target.
"""

from __future__ import annotations

import subprocess
import sys

import click

from dalil.cli import COMMANDS, cli

PROBE = """
import sys, click
from dalil.cli import cli
cli.get_command(click.Context(cli), {name!r})
print(" ".join(m for m in ("pandas", "numba", "scipy", "splink") if m in sys.modules))
"""


def _heavy_modules_after(name: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=name)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def test_vault_and_case_commands_load_no_numerical_stack() -> None:
    assert _heavy_modules_after("vault") == set()
    assert _heavy_modules_after("case") == set()


def test_estimate_loads_what_it_needs() -> None:
    assert {"numba", "scipy"} <= _heavy_modules_after("estimate")


def test_every_listed_command_loads_under_its_name() -> None:
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name, name
    assert cli.list_commands(ctx) == sorted(COMMANDS)


def test_case_carries_the_membership_commands() -> None:
    case = cli.get_command(click.Context(cli), "case")
    assert isinstance(case, click.Group)
    assert {"add-member", "remove-member"} <= set(case.commands)
