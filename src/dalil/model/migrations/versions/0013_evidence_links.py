"""Evidence items support records (``evidence_link``: item, record, case, who, when) and
keep the thumbnail or text excerpt derived from their bytes (``vault_thumbnail``, one per
blob), both for the
evidence gallery of issue 22. Items ingested before this revision have no links and get
their thumbnail when the gallery first asks for it.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_link",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_evidence_link_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["vault_item.id"], name=op.f("fk_evidence_link_item_id_vault_item")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_evidence_link_record_id_record")
        ),
        sa.PrimaryKeyConstraint("item_id", "record_id", name=op.f("pk_evidence_link")),
    )
    with op.batch_alter_table("evidence_link") as batch:
        batch.create_index(batch.f("ix_evidence_link_case_id"), ["case_id"], unique=False)
        batch.create_index(batch.f("ix_evidence_link_record_id"), ["record_id"], unique=False)
    op.create_table(
        "vault_thumbnail",
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("media_type", sa.String(length=40), nullable=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("excerpt_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["vault_blob.sha256"],
            name=op.f("fk_vault_thumbnail_blob_sha256_vault_blob"),
        ),
        sa.PrimaryKeyConstraint("blob_sha256", name=op.f("pk_vault_thumbnail")),
    )


def downgrade() -> None:
    op.drop_table("vault_thumbnail")
    with op.batch_alter_table("evidence_link") as batch:
        batch.drop_index(batch.f("ix_evidence_link_record_id"))
        batch.drop_index(batch.f("ix_evidence_link_case_id"))
    op.drop_table("evidence_link")
