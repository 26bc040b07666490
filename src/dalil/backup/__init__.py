"""Whole-workspace backup and restore (``dalil-backup/1``).

Owns: the backup archive (every table as JSON lines, the vault's files, the key file,
a manifest of digests), the checks a restore makes before writing anything, the restore
itself and its verification against the custody ledger (:mod:`~dalil.backup.archive`).

May use: :mod:`dalil.workspace`, :mod:`dalil.config`, :mod:`dalil.model` (every table,
through ``Base.metadata``), :mod:`dalil.errors` and the public API of :mod:`dalil.vault`
(keys, ledger, blobs, verification, failpoints). Never the web app or the CLI.
"""

from dalil.backup.archive import (
    FORMAT,
    Limits,
    RestoreReport,
    backup,
    check_archive,
    restore,
    verify_restored,
)

__all__ = [
    "FORMAT",
    "Limits",
    "RestoreReport",
    "backup",
    "check_archive",
    "restore",
    "verify_restored",
]
