"""Legal analysis: element assessments and checklist decisions.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "element_assessment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("crime", sa.String(length=60), nullable=False),
        sa.Column("element", sa.String(length=60), nullable=False),
        sa.Column("catalogue", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("suggestion", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_element_assessment_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["record.id"], name=op.f("fk_element_assessment_subject_id_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_element_assessment")),
    )
    op.create_index(
        "ix_element_assessment_subject",
        "element_assessment",
        ["case_id", "subject_id", "crime"],
        unique=False,
    )
    op.create_table(
        "checklist_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("prevented_by", sa.String(length=400), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_checklist_entry_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entry")),
    )
    op.create_index(
        "ix_checklist_entry_case", "checklist_entry", ["case_id", "protocol"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_checklist_entry_case", table_name="checklist_entry")
    op.drop_table("checklist_entry")
    op.drop_index("ix_element_assessment_subject", table_name="element_assessment")
    op.drop_table("element_assessment")
