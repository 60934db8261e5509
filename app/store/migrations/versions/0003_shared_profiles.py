"""shared profiles: where a profile came from, and the manager's annotations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 01:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _annotation(name: str, *columns: "sa.Column[object]", unique: str | None = None) -> None:
    """A table of the manager's annotations, one row per profile (and per `unique` key)."""
    constraints: list[sa.Constraint] = [
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f(f"fk_{name}_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    ]
    if unique is not None:
        constraints.append(sa.UniqueConstraint("profile_id", unique, name=unique.split("_")[0]))
    op.create_table(
        name,
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        *columns,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *constraints,
    )


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=8), server_default="own", nullable=False)
        )
        batch_op.add_column(sa.Column("shared_exported_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("shared_checksum", sa.String(length=64), nullable=True))
    with op.batch_alter_table("profiles", schema=None) as batch_op:  # apart: the columns exist
        batch_op.create_check_constraint(op.f("ck_profiles_origin"), "origin IN ('own', 'shared')")
    _annotation(
        "calibrations",
        sa.Column("skill_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        unique="skill_id",
    )
    _annotation(
        "dimension_comments",
        sa.Column("dimension_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        unique="dimension_id",
    )
    _annotation(
        "recommendations",
        sa.Column("band", sa.String(length=64), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_recommendations_profile_id"), ["profile_id"]
        )


def downgrade() -> None:
    for name in ("recommendations", "dimension_comments", "calibrations"):
        op.drop_table(name)
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_profiles_origin"), type_="check")
        batch_op.drop_column("shared_checksum")
        batch_op.drop_column("shared_exported_at")
        batch_op.drop_column("origin")
