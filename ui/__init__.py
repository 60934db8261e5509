"""Rung's Qt desktop interface; it calls the services in `app/` and holds no SQL."""
