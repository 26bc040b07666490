"""Which modules define a workspace's tables: one declared list, loaded by name.

Every table of a workspace is a class on the shared declarative
:class:`~dalil.model.tables.Base`, and SQLAlchemy knows a table only once the module
defining it has been imported. Three things need all of them: opening a workspace (the
ORM resolves relationships between tables of different packages by name), the migrations'
environment (autogenerate compares ``Base.metadata`` with the database) and backup
(every table is written and restored). They all call :func:`load_tables`, which imports
the modules named in :data:`TABLE_MODULES`, as Django loads its ``INSTALLED_APPS``.

The list holds module *names*, not imports: the model layer stays at the bottom of the
import layers (``docs/architecture.md``), and no package reaches into another's
``tables`` module to register it. A package that adds a tables module adds its name here;
``tests/model/test_registry.py`` fails while a module under ``src/dalil`` defines a table
on ``Base`` and is missing from the list.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from dalil.model.tables import Base

#: Every module that defines tables on :class:`~dalil.model.tables.Base`, the shared ones
#: first. Order does not matter to SQLAlchemy (``Base.metadata.sorted_tables`` sorts by
#: foreign keys, then by name); the packages' modules follow in alphabetical order.
TABLE_MODULES: tuple[str, ...] = (
    "dalil.model.tables",  # records, cases, facts, vocabularies, gazetteer, search index
    "dalil.access.tables",  # accounts, memberships, sessions, tokens, identities
    "dalil.estimate.tables",  # saved estimates
    "dalil.extract.tables",  # reports, suggestions, lexicons
    "dalil.jobs.tables",  # background jobs
    "dalil.legal.tables",  # assessments, checklist entries
    "dalil.linkage.tables",  # victim lists, linkage runs, review
    "dalil.vault.tables",  # vault state, blobs, items, custody ledger, tree heads
)


def load_tables() -> MetaData:
    """Import every module of :data:`TABLE_MODULES` (once; later calls are cheap) and
    return the shared metadata, which then holds every table of a workspace."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return Base.metadata
