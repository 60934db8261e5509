"""received assessments: the assessment bundle each was imported from

An assessment of the owner's own profile arrives in an assessment bundle and
is kept per date; its checksum and export time tell the same bundle again
(nothing to do) and an older export of that day's assessment (kept out) from
a newer one (which replaces it). Assessments made here have neither.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_checksum", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("received_exported_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a database; restore a backup instead.")
