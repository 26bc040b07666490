"""Helpers shared by the CLI modules."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dalil.config import Settings, load_settings
from dalil.workspace import Workspace

console = Console(stderr=True)
out = Console(soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def settings_of(ctx: click.Context) -> Settings:
    home = ctx.find_root().params.get("home")
    return load_settings(home)


@contextmanager
def workspace(ctx: click.Context) -> Iterator[Workspace]:
    ws = Workspace.open(settings_of(ctx))
    try:
        yield ws
    finally:
        ws.close()


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
