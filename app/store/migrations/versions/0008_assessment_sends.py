"""when an assessment made here last went to its owner (a bundle, or a team hub)

A new table only: no existing table is rebuilt, so no row can be lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_sends",
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_sends_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_sends")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_assessment_sends_assessment_id")),
    )


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a database; restore a backup instead.")
