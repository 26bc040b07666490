"""Initial schema: cases, records, assertions, vocabulary extensions, gazetteer.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
    )
    op.create_table(
        "gazetteer_place",
        sa.Column("geonameid", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("feature_class", sa.String(length=1), nullable=True),
        sa.Column("feature_code", sa.String(length=10), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("admin1_code", sa.String(length=20), nullable=True),
        sa.Column("admin1_name", sa.String(length=200), nullable=True),
        sa.Column("admin2_code", sa.String(length=80), nullable=True),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("geonameid", name=op.f("pk_gazetteer_place")),
    )
    op.create_table(
        "vocabulary_term",
        sa.Column("vocabulary", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("en", sa.String(length=500), nullable=False),
        sa.Column("ar", sa.String(length=500), nullable=False),
        sa.Column("huridocs", sa.String(length=500), nullable=True),
        sa.Column("acled", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("vocabulary", "code", name=op.f("pk_vocabulary_term")),
    )
    op.create_table(
        "gazetteer_name",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("geonameid", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("skeleton", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["geonameid"],
            ["gazetteer_place.geonameid"],
            name=op.f("fk_gazetteer_name_geonameid_gazetteer_place"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gazetteer_name")),
        sa.UniqueConstraint("geonameid", "name", name="place_name"),
    )
    with op.batch_alter_table("gazetteer_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gazetteer_name_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_gazetteer_name_skeleton"), ["skeleton"], unique=False)

    op.create_table(
        "record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_record_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
        sa.UniqueConstraint("case_id", "kind", "label", name="kind_label"),
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index("ix_record_case_kind", ["case_id", "kind"], unique=False)

    op.create_table(
        "assertion",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_assertion_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["record.id"], name=op.f("fk_assertion_subject_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["assertion.id"], name=op.f("fk_assertion_supersedes_id_assertion")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assertion")),
    )
    with op.batch_alter_table("assertion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assertion_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_assertion_subject", ["subject_id", "field"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assertion_supersedes_id"), ["supersedes_id"], unique=False
        )

    op.create_table(
        "burial_site",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_burial_site_id_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_burial_site")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_event_id_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_table(
        "mandate",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_mandate_id_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandate")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_organisation_id_record")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organisation.id"], name=op.f("fk_organisation_parent_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("protection_level", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_person_id_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_place_id_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    op.create_table(
        "act",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_act_event_id_event")),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_act_id_record")),
        sa.ForeignKeyConstraint(["victim_id"], ["person.id"], name=op.f("fk_act_victim_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act")),
    )
    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_act_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "command",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("commander_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["commander_id"], ["person.id"], name=op.f("fk_command_commander_id_person")
        ),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_command_id_record")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_command_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command")),
    )
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_command_commander_id"), ["commander_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_command_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "consent_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_consent_record_id_record")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_consent_record_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_record_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "event_relation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("from_event_id", sa.String(length=36), nullable=False),
        sa.Column("to_event_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "from_event_id <> to_event_id", name=op.f("ck_event_relation_distinct_events")
        ),
        sa.ForeignKeyConstraint(
            ["from_event_id"], ["event.id"], name=op.f("fk_event_relation_from_event_id_event")
        ),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_event_relation_id_record")),
        sa.ForeignKeyConstraint(
            ["to_event_id"], ["event.id"], name=op.f("fk_event_relation_to_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_relation")),
    )
    with op.batch_alter_table("event_relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_relation_from_event_id"), ["from_event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_relation_to_event_id"), ["to_event_id"], unique=False
        )

    op.create_table(
        "interview",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("interviewee_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_interview_id_record")),
        sa.ForeignKeyConstraint(
            ["interviewee_id"], ["person.id"], name=op.f("fk_interview_interviewee_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_interviewee_id"), ["interviewee_id"], unique=False
        )

    op.create_table(
        "risk_assessment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_risk_assessment_id_record")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_risk_assessment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_assessment_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "source",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_source_id_record")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_source_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_source_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_source_person_id"), ["person_id"], unique=False)

    op.create_table(
        "information_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_information_record_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["record.id"], name=op.f("fk_information_record_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_information_record_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_information_record_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_record")),
    )
    with op.batch_alter_table("information_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_information_record_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_information_record_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_information_record_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "involvement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("act_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (organisation_id IS NULL)",
            name=op.f("ck_involvement_one_perpetrator"),
        ),
        sa.ForeignKeyConstraint(["act_id"], ["act.id"], name=op.f("fk_involvement_act_id_act")),
        sa.ForeignKeyConstraint(["id"], ["record.id"], name=op.f("fk_involvement_id_record")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_involvement_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_involvement_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvement")),
    )
    with op.batch_alter_table("involvement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_involvement_act_id"), ["act_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_involvement_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_involvement_person_id"), ["person_id"], unique=False)

    op.create_table(
        "assertion_source",
        sa.Column("assertion_id", sa.String(length=36), nullable=False),
        sa.Column("information_record_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["assertion_id"],
            ["assertion.id"],
            name=op.f("fk_assertion_source_assertion_id_assertion"),
        ),
        sa.ForeignKeyConstraint(
            ["information_record_id"],
            ["information_record.id"],
            name=op.f("fk_assertion_source_information_record_id_information_record"),
        ),
        sa.PrimaryKeyConstraint(
            "assertion_id", "information_record_id", name=op.f("pk_assertion_source")
        ),
    )


def downgrade() -> None:
    op.drop_table("assertion_source")
    with op.batch_alter_table("involvement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_involvement_person_id"))
        batch_op.drop_index(batch_op.f("ix_involvement_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_involvement_act_id"))

    op.drop_table("involvement")
    with op.batch_alter_table("information_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_information_record_source_id"))
        batch_op.drop_index(batch_op.f("ix_information_record_person_id"))
        batch_op.drop_index(batch_op.f("ix_information_record_event_id"))

    op.drop_table("information_record")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_person_id"))
        batch_op.drop_index(batch_op.f("ix_source_organisation_id"))

    op.drop_table("source")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_person_id"))

    op.drop_table("risk_assessment")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_interviewee_id"))

    op.drop_table("interview")
    with op.batch_alter_table("event_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_relation_to_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_relation_from_event_id"))

    op.drop_table("event_relation")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_record_person_id"))

    op.drop_table("consent_record")
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_command_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_command_commander_id"))

    op.drop_table("command")
    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_victim_id"))
        batch_op.drop_index(batch_op.f("ix_act_event_id"))

    op.drop_table("act")
    op.drop_table("place")
    op.drop_table("person")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_parent_id"))

    op.drop_table("organisation")
    op.drop_table("mandate")
    op.drop_table("event")
    op.drop_table("burial_site")
    with op.batch_alter_table("assertion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assertion_supersedes_id"))
        batch_op.drop_index("ix_assertion_subject")
        batch_op.drop_index(batch_op.f("ix_assertion_case_id"))

    op.drop_table("assertion")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index("ix_record_case_kind")

    op.drop_table("record")
    with op.batch_alter_table("gazetteer_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gazetteer_name_skeleton"))
        batch_op.drop_index(batch_op.f("ix_gazetteer_name_key"))

    op.drop_table("gazetteer_name")
    op.drop_table("vocabulary_term")
    op.drop_table("gazetteer_place")
    op.drop_table("case_file")
