"""Evidence vault and custody ledger: keys state, blobs, items, ledger entries and nodes, tree heads.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_entry",
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("idx", name=op.f("pk_ledger_entry")),
    )
    op.create_table(
        "ledger_node",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name=op.f("pk_ledger_node")),
    )
    op.create_table(
        "tree_head",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tree_head")),
    )
    op.create_table(
        "vault_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_vault_blob")),
    )
    op.create_table(
        "vault_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("ledger_size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_state")),
    )
    op.create_table(
        "vault_item",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("metadata_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("derived_from_id", sa.String(length=36), nullable=True),
        sa.Column("derivation", sa.String(length=40), nullable=True),
        sa.Column("ingest_index", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_vault_item_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["derived_from_id"],
            ["vault_item.id"],
            name=op.f("fk_vault_item_derived_from_id_vault_item"),
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["vault_blob.sha256"], name=op.f("fk_vault_item_sha256_vault_blob")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_item")),
    )
    with op.batch_alter_table("vault_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_item_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vault_item_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vault_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_item_sha256"))
        batch_op.drop_index(batch_op.f("ix_vault_item_case_id"))

    op.drop_table("vault_item")
    op.drop_table("vault_state")
    op.drop_table("vault_blob")
    op.drop_table("tree_head")
    op.drop_table("ledger_node")
    op.drop_table("ledger_entry")
