"""The evidence vault: encrypted content-addressed blobs and a tamper-evident custody ledger.

Owns: the encrypted blobs (:mod:`~dalil.vault.blobs`, :mod:`~dalil.vault.crypto`), the
workspace's keys and recovery shares (:mod:`~dalil.vault.keys`,
:mod:`~dalil.vault.shamir`, :mod:`~dalil.vault.key_changes`, which also keeps the
identity key), the custody ledger every capability appends to (:mod:`~dalil.vault.ledger`,
RFC 9162 Merkle proofs in :mod:`~dalil.vault.merkle`, RFC 8785 entries in
:mod:`~dalil.vault.canonical`, read back through :mod:`~dalil.vault.custody_log`), signed
tree heads and evidence bundles (:mod:`~dalil.vault.export`, :mod:`~dalil.vault.bundle`),
verification (:mod:`~dalil.vault.verify`, :mod:`~dalil.vault.custody_checks`), and what
other packages may read of the items it holds (:mod:`~dalil.vault.holdings`).
:class:`dalil.vault.service.Vault` puts ingest, reading, export, verification and key
changes together on one object.

May use: :mod:`dalil.model`, :mod:`dalil.workspace`, :mod:`dalil.errors`. Never
:mod:`dalil.access`: the access audit trail is a client of the ledger, not the reverse.
Never the web app or the CLI.
"""
