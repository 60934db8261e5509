"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 22:59:15.722371
"""

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "frameworks",
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
        sa.UniqueConstraint("framework_id", "version", name="version"),
    )
    op.create_table(
        "profiles",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("manager", sa.Text(), nullable=True),
        sa.Column("role_start", sa.Date(), nullable=False),
        sa.Column("checkin_interval_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "checkins",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("finalized_at", sa.DateTime(), nullable=True),
        sa.Column("wins", sa.Text(), nullable=True),
        sa.Column("blockers", sa.Text(), nullable=True),
        sa.Column("focus", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'final')", name=op.f("ck_checkins_status")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_checkins_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(
            "ix_checkins_profile_date", ["profile_id", "status", "date"], unique=False
        )
        batch_op.create_index(
            "uq_checkins_one_draft",
            ["profile_id"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
        )

    op.create_table(
        "evidence",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_evidence_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_profile_date", ["profile_id", "date"], unique=False)

    op.create_table(
        "goals",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'active', 'done', 'dropped')", name=op.f("ck_goals_status")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_goals_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "learning_items",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("target_quarter", sa.String(length=7), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "target_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'",
            name=op.f("ck_learning_items_quarter"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_learning_items_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_items")),
    )
    with op.batch_alter_table("learning_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_items_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "profile_stages",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("target_level", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_profile_stages_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_stages")),
        sa.UniqueConstraint("profile_id", "effective_from", name="date"),
    )
    op.create_table(
        "amendments",
        sa.Column("checkin_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_amendments_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
    )
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendments_checkin_id"), ["checkin_id"], unique=False)

    op.create_table(
        "evidence_tags",
        sa.Column("evidence_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('skill', 'milestone', 'kpi')", name=op.f("ck_evidence_tags_kind")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_tags_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_tags")),
        sa.UniqueConstraint("evidence_id", "kind", "ref", name="ref"),
    )
    op.create_table(
        "goal_skills",
        sa.Column("goal_id", sa.String(length=36), nullable=False),
        sa.Column("skill_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_skills_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_skills")),
        sa.UniqueConstraint("goal_id", "skill_id", name="skill"),
    )
    op.create_table(
        "kpi_values",
        sa.Column("checkin_id", sa.String(length=36), nullable=False),
        sa.Column("kpi_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_kpi_values_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_values")),
        sa.UniqueConstraint("checkin_id", "kpi_id", name="kpi"),
    )
    op.create_table(
        "milestone_statuses",
        sa.Column("checkin_id", sa.String(length=36), nullable=False),
        sa.Column("milestone_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not-started', 'in-progress', 'done', 'not-applicable')",
            name=op.f("ck_milestone_statuses_status"),
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_milestone_statuses_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_statuses")),
        sa.UniqueConstraint("checkin_id", "milestone_id", name="milestone"),
    )
    op.create_table(
        "ratings",
        sa.Column("checkin_id", sa.String(length=36), nullable=False),
        sa.Column("skill_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "NOT (value IS NOT NULL AND not_applicable)", name=op.f("ck_ratings_value_or_na")
        ),
        sa.CheckConstraint(
            "confidence IS NULL OR confidence BETWEEN 1 AND 5", name=op.f("ck_ratings_confidence")
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_ratings_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("checkin_id", "skill_id", name="skill"),
    )


def downgrade() -> None:

    op.drop_table("ratings")
    op.drop_table("milestone_statuses")
    op.drop_table("kpi_values")
    op.drop_table("goal_skills")
    op.drop_table("evidence_tags")
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendments_checkin_id"))

    op.drop_table("amendments")
    op.drop_table("profile_stages")
    with op.batch_alter_table("learning_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_items_profile_id"))

    op.drop_table("learning_items")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_profile_id"))

    op.drop_table("goals")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_profile_date")

    op.drop_table("evidence")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index("uq_checkins_one_draft", sqlite_where=sa.text("status = 'draft'"))
        batch_op.drop_index("ix_checkins_profile_date")

    op.drop_table("checkins")
    op.drop_table("profiles")
    op.drop_table("frameworks")
