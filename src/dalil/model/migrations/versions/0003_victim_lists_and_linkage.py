"""Victim lists, list rows, linkage runs, members, review queue and review decisions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import dalil.model.tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_list",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=40), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_victim_list_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_list")),
        sa.UniqueConstraint("case_id", "source", name=op.f("uq_victim_list_case_id")),
    )
    op.create_index(op.f("ix_victim_list_case_id"), "victim_list", ["case_id"], unique=False)
    op.create_table(
        "list_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_id", sa.String(length=36), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"], ["victim_list.id"], name=op.f("fk_list_record_list_id_victim_list")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_record")),
        sa.UniqueConstraint("list_id", "record_id", name=op.f("uq_list_record_list_id")),
    )
    op.create_index(op.f("ix_list_record_list_id"), "list_record", ["list_id"], unique=False)
    op.create_table(
        "linkage_run",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("stats", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_linkage_run_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_run")),
    )
    op.create_index(op.f("ix_linkage_run_case_id"), "linkage_run", ["case_id"], unique=False)
    op.create_table(
        "linkage_member",
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["linkage_run.id"], name=op.f("fk_linkage_member_run_id_linkage_run")
        ),
        sa.PrimaryKeyConstraint("run_id", "source", "record_id", name=op.f("pk_linkage_member")),
    )
    op.create_index(op.f("ix_linkage_member_person"), "linkage_member", ["person"], unique=False)
    op.create_table(
        "linkage_review",
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("left_key", sa.String(length=401), nullable=False),
        sa.Column("right_key", sa.String(length=401), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["linkage_run.id"], name=op.f("fk_linkage_review_run_id_linkage_run")
        ),
        sa.PrimaryKeyConstraint("run_id", "rank", name=op.f("pk_linkage_review")),
    )
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("left_key", sa.String(length=401), nullable=False),
        sa.Column("right_key", sa.String(length=401), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("decided_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_review_decision_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    op.create_index(
        op.f("ix_review_decision_case_id"), "review_decision", ["case_id"], unique=False
    )


def downgrade() -> None:
    for table in (
        "review_decision",
        "linkage_review",
        "linkage_member",
        "linkage_run",
        "list_record",
        "victim_list",
    ):
        op.drop_table(table)
