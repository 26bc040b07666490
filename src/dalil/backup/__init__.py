"""Whole-workspace backup and restore (``dalil-backup/1``).

Owns: the backup archive and writing one (:mod:`~dalil.backup.archive`: every table as
JSON lines, the vault's files, the key file, a manifest of digests), the checks a restore
makes on an archive before writing anything (:mod:`~dalil.backup.validation`), the
restore itself (:mod:`~dalil.backup.restoration`) and its verification against the
custody ledger (:mod:`~dalil.backup.verification`).

May use: :mod:`dalil.workspace`, :mod:`dalil.config`, :mod:`dalil.model` (every table,
through :func:`dalil.model.registry.load_tables`), :mod:`dalil.errors` and the public API
of :mod:`dalil.vault` (keys, ledger, blobs, holdings, verification, failpoints). Never the
web app or the CLI.
"""

from dalil.backup.archive import FORMAT, backup
from dalil.backup.restoration import restore
from dalil.backup.validation import Limits, check_archive
from dalil.backup.verification import RestoreReport, verify_restored

__all__ = [
    "FORMAT",
    "Limits",
    "RestoreReport",
    "backup",
    "check_archive",
    "restore",
    "verify_restored",
]
