"""Bundles (`.rung`): a profile carried between machines as one checked JSON document."""
