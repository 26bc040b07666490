"""Capture-history tables: which lists documented each person, counted by pattern.

Every estimator in :mod:`dalil.estimate` reads a :class:`CaptureTable`: J named lists and
the count of persons seen on exactly each non-empty combination of them. Tables come from
the capture-history CSV of DESIGN.md (one 0/1 column per list and an optional ``count``;
aggregated, or one row per person) or from a case's linked persons. Validation follows the
pitfalls of ../design/estimation.md §3: 0/1 only, no all-zero rows, at least two lists,
non-negative integer counts; errors name file, row and column.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dalil.errors import InvalidInput
from dalil.linkage.outputs import from_spreadsheet_cell

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class CaptureTable:
    """Counts of persons per capture pattern over ``lists``.

    ``patterns`` is (2^J - 1) x J, every non-empty pattern in a fixed order (binary
    counting with the first list as the lowest bit); ``counts`` holds zero for patterns no
    person has, so models always see the full observed table.
    """

    lists: tuple[str, ...]
    patterns: IntArray
    counts: IntArray

    @property
    def j(self) -> int:
        return len(self.lists)

    @property
    def n(self) -> int:
        """Observed persons."""
        return int(self.counts.sum())

    def list_sizes(self) -> dict[str, int]:
        return {
            name: int(self.counts[self.patterns[:, i] == 1].sum())
            for i, name in enumerate(self.lists)
        }

    def overlap(self, lists: Iterable[int]) -> int:
        """Persons seen on every list in ``lists`` (and perhaps others)."""
        idx = list(lists)
        return int(self.counts[self.patterns[:, idx].all(axis=1)].sum())

    def nonempty_lists(self) -> int:
        return sum(1 for size in self.list_sizes().values() if size > 0)

    def observed(self) -> dict[tuple[int, ...], int]:
        """Non-zero patterns and their counts (for display and JSON)."""
        return {
            tuple(int(v) for v in p): int(c)
            for p, c in zip(self.patterns, self.counts, strict=True)
            if c
        }

    @classmethod
    def from_counts(
        cls, lists: Iterable[str], counts: Mapping[tuple[int, ...], int]
    ) -> CaptureTable:
        names = tuple(lists)
        if len(names) < 2:
            raise InvalidInput("at least two lists are needed to estimate anything", path="lists")
        if len(set(names)) != len(names):
            raise InvalidInput("list names repeat", path="lists")
        patterns = all_patterns(len(names))
        index = {tuple(int(v) for v in p): i for i, p in enumerate(patterns)}
        values = np.zeros(len(patterns), dtype=np.int64)
        for pattern, count in counts.items():
            if pattern not in index:
                raise InvalidInput(
                    "a pattern with no list (all zeros) cannot be observed", path="patterns"
                )
            values[index[pattern]] += int(count)
        if values.sum() == 0:
            raise InvalidInput("the table has no observed persons", path="count")
        return cls(names, patterns, values)

    def without_lists(self, drop: Iterable[int]) -> CaptureTable:
        """The table over the remaining lists (persons seen only on dropped lists vanish)."""
        keep = [i for i in range(self.j) if i not in set(drop)]
        counts: dict[tuple[int, ...], int] = {}
        for p, c in zip(self.patterns, self.counts, strict=True):
            sub = tuple(int(p[i]) for i in keep)
            if any(sub) and c:
                counts[sub] = counts.get(sub, 0) + int(c)
        return CaptureTable.from_counts([self.lists[i] for i in keep], counts)


def all_patterns(j: int) -> IntArray:
    """Every non-empty 0/1 pattern over j lists, first list as the lowest bit."""
    rows = [[(code >> i) & 1 for i in range(j)] for code in range(1, 2**j)]
    return np.array(rows, dtype=np.int64)


def read_csv(path: Path) -> CaptureTable:
    """A capture-history CSV: one 0/1 column per list, optional ``count`` (default 1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("not UTF-8 text", path=path.name) from None
    return parse_csv(text, path.name)


def parse_csv(text: str, name: str = "captures.csv") -> CaptureTable:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        return _parse_rows(reader, name)
    except csv.Error as err:  # an unclosed quote, a cell over the csv module's limit
        raise InvalidInput(
            f"not a readable CSV ({err})", path=f"{name}:{reader.line_num}"
        ) from None


#: header names that mean a count in other tools (Rcapture's freq, SparseMSE's n, ...)
COUNT_LIKE = {"n", "freq", "frequency", "cnt", "counts", "number", "total"}


def _parse_rows(reader: Iterator[list[str]], name: str) -> CaptureTable:
    try:
        # list names as dalil's linkage writes them (a formula-like name carries a ' prefix)
        header = [from_spreadsheet_cell(h.strip()) for h in next(reader)]
    except StopIteration:
        raise InvalidInput("the file is empty", path=name) from None
    lists = [h for h in header if h.lower() != "count"]
    has_count = len(lists) != len(header)
    if len(lists) < 2:
        raise InvalidInput("at least two list columns are needed", path=f"{name}:1")
    counts: dict[tuple[int, ...], int] = {}
    problems: list[tuple[str, str]] = []  # (where, what)
    for row_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append((f"{name}:{row_no}", f"{len(row)} cells but {len(header)} columns"))
            continue
        values = dict(zip(header, (c.strip() for c in row), strict=True))
        pattern = []
        for col in lists:
            if values[col] not in ("0", "1"):
                if values[col].isdigit() and col.lower() in COUNT_LIKE and not has_count:
                    raise InvalidInput(
                        f"column {col!r} holds counts: name it count", path=f"{name}:1:{col}"
                    )
                problems.append((f"{name}:{row_no}:{col}", "must be 0 or 1"))
            pattern.append(1 if values[col] == "1" else 0)
        count = 1
        if has_count:
            raw = values[next(h for h in header if h.lower() == "count")]
            if not raw.isdigit():
                problems.append((f"{name}:{row_no}:count", "must be a non-negative integer"))
                continue
            count = int(raw)
        if not any(pattern):
            problems.append(
                (f"{name}:{row_no}", "all-zero row (a person on no list cannot be observed)")
            )
            continue
        key = tuple(pattern)
        counts[key] = counts.get(key, 0) + count
    if len(problems) == 1:
        raise InvalidInput(problems[0][1], path=problems[0][0])
    if problems:
        raise InvalidInput(
            "; ".join(f"{where}: {what}" for where, what in problems[:20])
            + (f"; and {len(problems) - 20} more" if len(problems) > 20 else ""),
            path=name,
        )
    if not counts:
        raise InvalidInput("the file has no rows", path=f"{name}:2")
    return CaptureTable.from_counts(lists, counts)


def subsets(items: Iterable[int], size: int) -> list[frozenset[int]]:
    return [frozenset(c) for c in itertools.combinations(sorted(items), size)]
