"""Alembic environment: runs on the connection the store hands it (see suno.store.migrate)."""

from __future__ import annotations

from alembic import context

from suno.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `sunoql migrate`, which supplies the database connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
