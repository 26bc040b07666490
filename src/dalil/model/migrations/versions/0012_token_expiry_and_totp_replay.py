"""API tokens can expire and be revoked one by one (their prefix, expiry, revocation and
last use are kept), and each account remembers the last TOTP time step it accepted, so a
code cannot be used twice. Tokens made before this revision keep no expiry and no prefix.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

import dalil.model.tables

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(
            sa.Column("prefix", sa.String(length=20), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("expires_at", dalil.model.tables.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("revoked_at", dalil.model.tables.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("last_used_at", dalil.model.tables.UTCDateTime(), nullable=True))
    with op.batch_alter_table("api_token") as batch:
        batch.alter_column("prefix", existing_type=sa.String(length=20), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        for column in ("last_used_at", "revoked_at", "expires_at", "prefix"):
            batch.drop_column(column)
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("totp_last_step")
