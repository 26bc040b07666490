"""The person search index carries each person's sex and documentation time on every key,
in a covering index, so a search with a sex filter and its result page are read from the
index alone (no lookup of each match in ``record``, nor of its sex key).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_search_key_case_key", table_name="search_key")
    with op.batch_alter_table("search_key") as batch:
        batch.add_column(sa.Column("documented_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("sex", sa.String(length=40), nullable=True))
    op.execute(
        "UPDATE search_key SET documented_at = "
        "(SELECT record.created_at FROM record WHERE record.id = search_key.record_id), "
        "sex = (SELECT substr(k.key, 5) FROM search_key AS k "
        "WHERE k.record_id = search_key.record_id AND k.key LIKE 'sex:%')"
    )
    with op.batch_alter_table("search_key") as batch:
        batch.alter_column("documented_at", existing_type=sa.DateTime(), nullable=False)
    op.create_index(
        "ix_search_key_lookup",
        "search_key",
        ["case_id", "key", "sex", "documented_at", "record_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_search_key_lookup", table_name="search_key")
    with op.batch_alter_table("search_key") as batch:
        batch.drop_column("documented_at")
        batch.drop_column("sex")
    op.create_index("ix_search_key_case_key", "search_key", ["case_id", "key"], unique=False)
