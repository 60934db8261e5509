"""The optional team hub: a PostgreSQL database people publish to and pull from.

Offline stays the default: nothing here is imported until a hub is used. Access
is enforced by the database's row-level security (`migrations/`), not by this
code; `admin` creates the hub and manages members and cycles, `sync` publishes
and pulls, `service` is what the command line and the app call.
"""
