"""identity, dated and signed assessments, evidence as impact

The folder's owner; a manager's assessment kept per date with the assessor's
identity (the annotations of 0003 become one assessment per profile, dated by
their last change, its assessor not recorded); evidence with its kind
(work or feedback received), impact (context, action, outcome, a metric) and
who gave feedback; evidence tagged to a promotion criterion. And a data
step: a framework's hash now leaves out the fields that hold their default
value (so a field added later changes no hash), so every stored hash is
computed again from its stored framework.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 18:00:00.000000
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ANNOTATIONS = ("calibrations", "dimension_comments", "recommendations")


def upgrade() -> None:
    op.create_table(
        "owner",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owner")),
    )
    op.create_table(
        "assessments",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("assessor_name", sa.Text(), nullable=True),
        sa.Column("assessor_role", sa.Text(), nullable=True),
        sa.Column("assessor_email", sa.Text(), nullable=True),
        sa.Column("assessed_checksum", sa.String(length=64), nullable=True),
        sa.Column("assessed_exported_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("origin IN ('own', 'received')", name=op.f("ck_assessments_origin")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_assessments_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("profile_id", "origin", "date", name="day"),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_profile_id"), ["profile_id"])

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="work", nullable=False)
        )
        for name in ("context", "action", "outcome"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("metric_value", sa.Float(), nullable=True))
        for name in ("metric_unit", "feedback_from", "feedback_role"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    with op.batch_alter_table("evidence", schema=None) as batch_op:  # apart: the column exists
        batch_op.create_check_constraint(op.f("ck_evidence_kind"), "kind IN ('work', 'feedback')")
    with op.batch_alter_table("evidence_tags", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_evidence_tags_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_evidence_tags_kind"), "kind IN ('skill', 'milestone', 'kpi', 'criterion')"
        )

    connection = op.get_bind()
    from app.framework.loader import framework_from_snapshot, framework_hash

    stored = connection.execute(sa.text("SELECT id, snapshot FROM frameworks")).all()
    for row_id, snapshot in stored:
        connection.execute(
            sa.text("UPDATE frameworks SET hash = :hash WHERE id = :id"),
            {"hash": framework_hash(framework_from_snapshot(snapshot)), "id": row_id},
        )

    # One assessment per annotated profile, dated by its annotations' last change.
    latest = " UNION ALL ".join(f"SELECT profile_id, updated_at FROM {t}" for t in ANNOTATIONS)
    rows = connection.execute(
        sa.text(f"SELECT profile_id, max(updated_at) FROM ({latest}) GROUP BY profile_id")
    ).all()
    assessed = {}
    for profile_id, last_change in rows:
        assessed[profile_id] = str(uuid.uuid4())
        connection.execute(
            sa.text(
                "INSERT INTO assessments (id, profile_id, date, origin, updated_at) "
                "VALUES (:id, :profile, date(:at), 'own', :at)"
            ),
            {"id": assessed[profile_id], "profile": profile_id, "at": last_change},
        )
    for table in ANNOTATIONS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("assessment_id", sa.String(length=36), nullable=True))
        for profile_id, assessment_id in assessed.items():
            connection.execute(
                sa.text(f"UPDATE {table} SET assessment_id = :a WHERE profile_id = :p"),
                {"a": assessment_id, "p": profile_id},
            )
    for table, old, new, columns in (
        ("calibrations", "skill", "skill", ["assessment_id", "skill_id"]),
        ("dimension_comments", "dimension", "dimension", ["assessment_id", "dimension_id"]),
        ("recommendations", "uq_recommendations_profile_id", None, ["assessment_id"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("assessment_id", existing_type=sa.String(36), nullable=False)
            batch_op.drop_constraint(old, type_="unique")
            batch_op.create_unique_constraint(new or batch_op.f(f"uq_{table}_assessment_id"), columns)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_assessment_id_assessments"),
                "assessments",
                ["assessment_id"],
                ["id"],
                ondelete="CASCADE",
            )
            if table == "recommendations":
                batch_op.create_index(batch_op.f(f"ix_{table}_profile_id"), ["profile_id"])
            else:
                batch_op.create_index(batch_op.f(f"ix_{table}_assessment_id"), ["assessment_id"])


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a database; restore a backup instead.")
