"""Alembic environment: dalil runs migrations itself when a workspace is opened.

The connection is handed in by :mod:`dalil.workspace` through ``config.attributes``.
The target metadata (for autogenerate) holds every table of the modules declared in
:data:`dalil.model.registry.TABLE_MODULES`, loaded by name.
"""

from alembic import context

from dalil.model.registry import load_tables

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=load_tables(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
