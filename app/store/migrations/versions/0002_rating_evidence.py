"""rating evidence: evidence linked to a skill's rating in a check-in

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:50:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_evidence",
        sa.Column("rating_id", sa.String(length=36), nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_rating_evidence_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["ratings.id"],
            name=op.f("fk_rating_evidence_rating_id_ratings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_evidence")),
        sa.UniqueConstraint("rating_id", "evidence_id", name="pair"),
    )
    with op.batch_alter_table("rating_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rating_evidence_evidence_id"), ["evidence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rating_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_evidence_evidence_id"))
    op.drop_table("rating_evidence")
