"""Alembic environment: runs on the connection that `app.store.db` hands over.

That connection is already inside the one transaction that the whole upgrade
runs in (`app.store.db.upgrade`), with foreign keys off.
"""

from alembic import context

from app.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
