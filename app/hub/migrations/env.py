"""Alembic environment of the hub: runs on the connection `app.hub.admin` hands over.

That connection is inside the one transaction the whole `hub init` runs in
(PostgreSQL's DDL is transactional, roles included). The version table lives
in the hub's own schema, so it is secured like every other table there.
"""

from alembic import context

connection = context.config.attributes["connection"]
connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS rung_hub")
context.configure(
    connection=connection,
    target_metadata=None,
    version_table_schema="rung_hub",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
