"""The SQLite store: schema, migrations, opening and backing up the database."""
