"""The person search index (names in either script, sex); the case
revision counter (what cached case summaries are keyed on); records in documentation
order; which server process runs a background job.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from dalil.model.tables import SEARCH_KEY_TYPE

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("background_job") as batch:
        batch.add_column(sa.Column("runner", sa.String(length=300), nullable=True))
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "search_key",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("key", SEARCH_KEY_TYPE, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_search_key_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_search_key_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("record_id", "key", name=op.f("pk_search_key")),
    )
    op.create_index("ix_search_key_case_key", "search_key", ["case_id", "key"], unique=False)
    op.create_index(
        "ix_record_case_kind_created",
        "record",
        ["case_id", "kind", "created_at", "id"],
        unique=False,
    )
    # the index of the persons already recorded is built by the latest migration that
    # changes it (0011): the code that builds it writes the index as it is now


def downgrade() -> None:
    with op.batch_alter_table("background_job") as batch:
        batch.drop_column("runner")
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("revision")
    op.drop_index("ix_record_case_kind_created", table_name="record")
    op.drop_index("ix_search_key_case_key", table_name="search_key")
    op.drop_table("search_key")
