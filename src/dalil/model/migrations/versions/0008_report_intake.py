"""Report intake: reports, the facts proposed from them (sealed), workspace lexicon entries.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_report_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["vault_item.id"], name=op.f("fk_report_item_id_vault_item")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["record.id"], name=op.f("fk_report_source_id_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_index(op.f("ix_report_case_id"), "report", ["case_id"], unique=False)
    op.create_table(
        "suggestion",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("assertion_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["assertion_id"], ["assertion.id"], name=op.f("fk_suggestion_assertion_id_assertion")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_suggestion_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_suggestion_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
    )
    op.create_index(op.f("ix_suggestion_case_id"), "suggestion", ["case_id"], unique=False)
    op.create_index(
        "ix_suggestion_report_start", "suggestion", ["report_id", "start"], unique=False
    )
    op.create_table(
        "lexicon_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("phrase", sa.String(length=400), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lexicon_entry")),
        sa.UniqueConstraint("phrase", name=op.f("uq_lexicon_entry_phrase")),
    )


def downgrade() -> None:
    op.drop_table("lexicon_entry")
    op.drop_index("ix_suggestion_report_start", table_name="suggestion")
    op.drop_index(op.f("ix_suggestion_case_id"), table_name="suggestion")
    op.drop_table("suggestion")
    op.drop_index(op.f("ix_report_case_id"), table_name="report")
    op.drop_table("report")
