"""What a Rung database file looks like, without importing SQLAlchemy or Alembic."""

# The newest schema revision this version of Rung knows, and every older one. A
# test checks these against the migration scripts, so opening needs no Alembic.
HEAD_REVISION = "0008"
KNOWN_REVISIONS = frozenset({"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"})

SQLITE_HEADER = b"SQLite format 3\x00"
