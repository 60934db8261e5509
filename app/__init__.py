"""Rung's Qt-free core: the framework model, the store, the services and the CLI.

`__version__` is looked up on first use: `importlib.metadata` costs tens of
milliseconds, which the desktop app's first paint does not need to pay.
"""

import functools


@functools.cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rung")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'app' has no attribute {name!r}")
