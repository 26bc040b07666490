"""Named failpoints in write paths, for crash and fault tests.

``DALIL_FAILPOINTS="before_fsync=enospc,after_commit_before_ack=crash"`` makes the named
points fail: ``crash`` ends the process at once (as kill -9 would, exit status 137),
``enospc`` and ``eio`` raise the matching :class:`OSError`. Unset, every point is a no-op.

Two additions serve crash scripts that kill an operation at a drawn point of its run
(``benchmarks/crash.py``):

- ``name=crash@N`` fails only the N-th hit (counted from 1) of ``name`` in this process,
  so the fifth file of a ``dalil vault add`` can be killed before its commit; the name
  ``*`` matches every point, so ``*=crash@N`` dies at the N-th failpoint passed,
  whatever its name.
- ``DALIL_FAILPOINTS_TRACE=FILE`` appends the name of every point passed to FILE, one a
  line: an uncrashed run traced once tells the script how many points the operation
  passes, and it then draws N uniformly among them.

Hits are counted per process (the CLI runs one operation per process).
"""

from __future__ import annotations

import errno
import os
from collections import Counter

POINTS = (
    # vault ingest (dalil.vault.blobs, dalil.vault.ingest)
    "after_temp_write",
    "before_fsync",
    "after_fsync_before_rename",
    "after_rename_before_dirsync",
    "before_commit",
    "after_commit_before_ack",
    # victim-list import: rows inserted, transaction not yet committed
    "list_rows_inserted",
    # case import: after each record or assertion written, before the commit
    "import_item_written",
    # restore: after each table loaded, after each vault/keys member written, and just
    # before the finished workspace is moved into place
    "restore_table_loaded",
    "restore_member_written",
    "restore_before_rename",
)

_hits: Counter[str] = Counter()


def _fail(action: str) -> None:
    if action == "crash":
        os._exit(137)
    if action == "enospc":
        raise OSError(errno.ENOSPC, "No space left on device (failpoint)")
    if action == "eio":
        raise OSError(errno.EIO, "Input/output error (failpoint)")


def hit(point: str) -> None:
    """Pass the failpoint ``point``: a no-op unless DALIL_FAILPOINTS names it (or ``*``)."""
    trace = os.environ.get("DALIL_FAILPOINTS_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(point + "\n")
    spec = os.environ.get("DALIL_FAILPOINTS")
    if not spec:
        return
    _hits[point] += 1
    _hits["*"] += 1
    for item in spec.split(","):
        name, _, action = item.partition("=")
        name = name.strip()
        if name not in (point, "*"):
            continue
        action, _, nth = action.strip().partition("@")
        if nth and _hits[name] != int(nth):
            continue
        _fail(action)
