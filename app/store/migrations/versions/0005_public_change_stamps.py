"""public change stamps: a record's last change to what a shared bundle carries

Check-ins, goals and learning items have private parts (notes, reflections,
private amendments, links to private evidence), so they keep a second stamp,
`public_updated_at`, which a bundle without private text exports as the
record's `updated_at` (`app.store.stamps`). Until now there was one stamp, so
each record's public stamp starts as its `updated_at`: a bundle exported after
the upgrade carries the same timestamps as one exported before it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-14 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("checkins", "goals", "learning_items")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("public_updated_at", sa.DateTime(), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET public_updated_at = updated_at"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "public_updated_at", existing_type=sa.DateTime(), nullable=False
            )


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a database; restore a backup instead.")
