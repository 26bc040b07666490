"""Users keep the interface language they last chose (``app_user.language``: ``en`` or
``ar``, NULL until they choose), so a new browser opens in it (issue 23). Existing users
have none and keep the cookie or browser language as before.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite alters a table by copying it, PostgreSQL adds the column in place
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("language")
