"""Alembic environment: dalil runs migrations itself when a workspace is opened.

The connection is handed in by :mod:`dalil.workspace` through ``config.attributes``.
"""

from alembic import context

import dalil.access.tables
import dalil.estimate.tables
import dalil.extract.tables
import dalil.legal.tables
import dalil.linkage.tables
import dalil.vault.tables  # noqa: F401  (registers the vault tables)
from dalil.model.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
