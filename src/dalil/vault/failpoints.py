"""Named failpoints in the ingest path, for crash and fault tests.

``DALIL_FAILPOINTS="before_fsync=enospc,after_commit_before_ack=crash"`` makes the named
points fail: ``crash`` ends the process at once (as kill -9 would, exit status 137),
``enospc`` and ``eio`` raise the matching :class:`OSError`. Unset, every point is a no-op.
"""

from __future__ import annotations

import errno
import os

POINTS = (
    "after_temp_write",
    "before_fsync",
    "after_fsync_before_rename",
    "after_rename_before_dirsync",
    "before_commit",
    "after_commit_before_ack",
)


def hit(point: str) -> None:
    spec = os.environ.get("DALIL_FAILPOINTS")
    if not spec:
        return
    for item in spec.split(","):
        name, _, action = item.partition("=")
        if name.strip() != point:
            continue
        action = action.strip()
        if action == "crash":
            os._exit(137)
        if action == "enospc":
            raise OSError(errno.ENOSPC, "No space left on device (failpoint)")
        if action == "eio":
            raise OSError(errno.EIO, "Input/output error (failpoint)")
