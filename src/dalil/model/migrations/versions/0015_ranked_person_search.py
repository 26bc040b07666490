"""Ranked person search (issue 23): every person's search keys are built again with
today's rules (whole names, the names a Latin spelling spells, spelling variants learnt
from name data, unknown spellings), so that a workspace made before it finds a name in
the other script and its variants as a new one does. The keys older code reads are kept.

Revision ID: 0015
Revises: 0014
"""

from alembic import op
from sqlalchemy.orm import Session

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from dalil.records import person_search

    with Session(bind=op.get_bind()) as session:
        person_search.rebuild(session)
        session.commit()  # joins alembic's transaction: this flushes, alembic commits


def downgrade() -> None:
    pass  # the keys are a superset of what the older search reads
