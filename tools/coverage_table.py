"""Branch coverage of the library per package, from coverage.py's JSON report.

`make test` runs the suite under pytest-cov (branch coverage of ``src/dalil``, the CLI's
subprocesses included) and then::

    coverage json                                  # -> build/coverage.json
    python tools/coverage_table.py build/coverage.json --markdown build/coverage.md

This prints one row per package (a subpackage of ``dalil``, or a top-level module such as
``errors``) and a total, and writes the same table as Markdown for ``docs/architecture.md``
to quote. Columns: statements and branches measured; lines covered (% of statements);
branches covered (% of branch destinations, coverage.py's "branches"); combined, which is
coverage.py's own figure ((covered lines + covered branches) / (statements + branches)).

``--fail-under N`` exits with status 1 when a library package's *branch* percentage is
below N (the fronts ``web`` and ``cli`` are reported but not held to it; pass
``--include-fronts`` to hold them too). ``make test`` does not pass it yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

FRONTS = frozenset({"web", "cli"})


@dataclass
class Tally:
    """Counts for one package, summed over its files."""

    statements: int = 0
    covered_lines: int = 0
    branches: int = 0
    covered_branches: int = 0

    def add(self, summary: dict[str, Any]) -> None:
        self.statements += int(summary["num_statements"])
        self.covered_lines += int(summary["covered_lines"])
        self.branches += int(summary.get("num_branches", 0))
        self.covered_branches += int(summary.get("covered_branches", 0))

    @property
    def lines_pct(self) -> float:
        return _pct(self.covered_lines, self.statements)

    @property
    def branch_pct(self) -> float:
        return _pct(self.covered_branches, self.branches)

    @property
    def combined_pct(self) -> float:
        return _pct(self.covered_lines + self.covered_branches, self.statements + self.branches)


def _pct(part: int, whole: int) -> float:
    """Percent, 100 for nothing to cover (as coverage.py reports an empty file)."""
    return 100.0 * part / whole if whole else 100.0


def package_of(path: str) -> str:
    """``src/dalil/vault/merkle.py`` -> ``vault``; ``src/dalil/errors.py`` -> ``errors``."""
    parts = PurePath(path.replace("\\", "/")).parts
    if "dalil" not in parts:
        raise ValueError(f"{path} is not a file of the dalil package")
    inside = parts[len(parts) - parts[::-1].index("dalil") :]
    return inside[0] if len(inside) > 1 else PurePath(inside[0]).stem


def tally(report: dict[str, Any]) -> dict[str, Tally]:
    """Per-package counts of a coverage.py JSON report (format 2 or later)."""
    packages: dict[str, Tally] = {}
    for path, entry in report["files"].items():
        packages.setdefault(package_of(path), Tally()).add(entry["summary"])
    return dict(sorted(packages.items()))


def _total(packages: dict[str, Tally]) -> Tally:
    total = Tally()
    for t in packages.values():
        total.statements += t.statements
        total.covered_lines += t.covered_lines
        total.branches += t.branches
        total.covered_branches += t.covered_branches
    return total


def rows(packages: dict[str, Tally]) -> list[list[str]]:
    """Table cells: header, one row per package, then the total."""
    out = [["package", "statements", "branches", "lines", "branches covered", "combined"]]
    for name, t in [*packages.items(), ("all", _total(packages))]:
        out.append(
            [
                name,
                f"{t.statements:,}",
                f"{t.branches:,}",
                f"{t.lines_pct:.0f}%",
                f"{t.branch_pct:.0f}%",
                f"{t.combined_pct:.0f}%",
            ]
        )
    return out


def as_text(table: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = []
    for n, r in enumerate(table):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def as_markdown(table: list[list[str]]) -> str:
    head, *body = table
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in body:
        name = f"`{r[0]}`" if r[0] != "all" else "all"
        lines.append("| " + " | ".join([name, *r[1:]]) + " |")
    return "\n".join(lines)


def below(packages: dict[str, Tally], floor: float, *, fronts: bool) -> list[str]:
    """Packages whose branch percentage is under ``floor``."""
    return [
        f"{name}: {t.branch_pct:.1f}% of branches"
        for name, t in packages.items()
        if t.branch_pct < floor and (fronts or name not in FRONTS)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path, help="coverage.py JSON report (coverage json)")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument("--fail-under", type=float, help="branch %% every library package needs")
    parser.add_argument("--include-fronts", action="store_true", help="hold web and cli too")
    args = parser.parse_args(argv)
    packages = tally(json.loads(args.report.read_text(encoding="utf-8")))
    table = rows(packages)
    print(as_text(table))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(as_markdown(table) + "\n", encoding="utf-8")
    if args.fail_under is not None:
        low = below(packages, args.fail_under, fronts=args.include_fronts)
        if low:
            print(f"below {args.fail_under:g}% branch coverage:", *low, sep="\n  ", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
