"""The evidence vault: encrypted content-addressed blobs and a tamper-evident custody ledger."""
