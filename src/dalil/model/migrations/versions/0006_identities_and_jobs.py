"""The identity vault (sealed witness identities, its key) and background jobs.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import dalil.model.tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vault_state") as batch:
        batch.add_column(sa.Column("identity_key", sa.LargeBinary(), nullable=True))
    op.create_table(
        "witness_identity",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["record.id"], name=op.f("fk_witness_identity_person_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_witness_identity_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_witness_identity")),
    )
    op.create_index(
        op.f("ix_witness_identity_case_id"), "witness_identity", ["case_id"], unique=False
    )
    op.create_table(
        "background_job",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", dalil.model.tables.UTCDateTime(), nullable=False),
        sa.Column("finished_at", dalil.model.tables.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_background_job_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_job")),
    )
    op.create_index(op.f("ix_background_job_case_id"), "background_job", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_table("background_job")
    op.drop_table("witness_identity")
    with op.batch_alter_table("vault_state") as batch:
        batch.drop_column("identity_key")
