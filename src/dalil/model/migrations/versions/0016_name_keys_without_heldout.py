"""The learnt Latin name keys (``data/names/latin_keys.tsv``) were rebuilt without the
names held out for the linkage benchmarks (issue 25): a Latin spelling whose key changed
would no longer find the persons indexed under its old key, so every person's search keys
are built again with today's table.

Revision ID: 0016
Revises: 0015
"""

from alembic import op
from sqlalchemy.orm import Session

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from dalil.records import person_search

    with Session(bind=op.get_bind()) as session:
        person_search.rebuild(session)
        session.commit()  # joins alembic's transaction: this flushes, alembic commits


def downgrade() -> None:
    pass  # the keys are rebuilt again by any later rebuild; older code reads them as keys
