"""Who may do what, and the record that they did it.

Owns: accounts, passwords and the second factor (:mod:`~dalil.access.accounts`,
:mod:`~dalil.access.totp`), sign-in throttling (:mod:`~dalil.access.throttle`), web
sessions (:mod:`~dalil.access.sessions`) and API tokens (:mod:`~dalil.access.tokens`),
roles and case membership, the one policy (:mod:`~dalil.access.policy`), the audit trail
(:mod:`~dalil.access.audit`, leaves of the vault's custody ledger) and the identity vault
of protected persons (:mod:`~dalil.access.identities`).

May use: :mod:`dalil.model`, :mod:`dalil.workspace`, :mod:`dalil.errors` and the public
API of :mod:`dalil.vault` (the ledger, its read-back, keys and sealing), never its
tables. Never the web app or the CLI.
"""
