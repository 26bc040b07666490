"""Person cards: what a victims list shows of each public person (label, current names,
sex, age and date of death), kept beside the search keys so a result page is one query.
The keys and cards of every person already recorded are (re)built here.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_card",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_person_card_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_person_card_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_person_card")),
    )
    from dalil.records import person_search

    with Session(bind=op.get_bind()) as session:
        person_search.rebuild(session)
        session.commit()  # joins alembic's transaction: this flushes, alembic commits


def downgrade() -> None:
    op.drop_table("person_card")
