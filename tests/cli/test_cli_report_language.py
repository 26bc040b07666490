"""``dalil report --lang``: the reader's language of the case file (English by default)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dalil.cli import cli
from tests_support import World


def _report(world: World, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--home", str(world.ws.home), "report", world.a, "--out", str(out), *extra],
    )
    assert result.exit_code == 0, result.output
    return out.read_text("utf-8")


def test_report_writes_the_case_file_in_the_language_asked_for(
    world: World, tmp_path: Path
) -> None:
    if world.ws.engine.dialect.name != "sqlite":
        pytest.skip("the CLI opens the workspace from its folder (SQLite)")
    english = _report(world, tmp_path / "en.html")
    assert '<html lang="en" dir="ltr">' in english and "Verification appendix" in english
    arabic = _report(world, tmp_path / "ar.html", "--lang", "ar")
    assert '<html lang="ar" dir="rtl">' in arabic and "ملحق التحقق" in arabic
    assert "Verification appendix" not in arabic
    refused = CliRunner().invoke(
        cli, ["--home", str(world.ws.home), "report", world.a, "--out",
              str(tmp_path / "fr.html"), "--lang", "fr"],
    )  # fmt: skip
    assert refused.exit_code != 0 and "--lang" in refused.output
    assert not (tmp_path / "fr.html").exists()
