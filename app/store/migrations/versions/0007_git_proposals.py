"""proposals from git history that were accepted or dismissed

A new table only: no existing table is rebuilt, so no row can be lost.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "git_proposals",
        sa.Column("profile_id", sa.String(length=36), nullable=False),
        sa.Column("proposal_id", sa.String(length=64), nullable=False),
        sa.Column("repository", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accepted', 'dismissed')", name=op.f("ck_git_proposals_decision")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_git_proposals_evidence_id_evidence"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_git_proposals_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_git_proposals")),
        sa.UniqueConstraint("profile_id", "proposal_id", name="proposal"),
    )
    with op.batch_alter_table("git_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_git_proposals_evidence_id"), ["evidence_id"])


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a database; restore a backup instead.")
