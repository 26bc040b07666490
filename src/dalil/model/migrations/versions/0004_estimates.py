"""Stored casualty estimates with their inputs.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import dalil.model.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "estimate_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_estimate_record_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate_record")),
    )
    op.create_index(
        op.f("ix_estimate_record_case_id"), "estimate_record", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("estimate_record")
