"""Rung's Qt-free core: the framework model, the store, the services and the CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rung")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
