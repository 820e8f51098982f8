"""The migration chain goes up, down one step and up again on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection

from suno.store import create_engine, schema_is_current, upgrade_to_head
from suno.store.migrate import alembic_config
from tests.support.databases import backend_params, fresh_database


def _columns_and_tables(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = sa.inspect(connection)
    return {c["name"] for c in inspector.get_columns("tasks")}, set(inspector.get_table_names())


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


@pytest.mark.parametrize("backend", backend_params())
async def test_0007_adds_the_dispatch_owner_and_the_replicas_and_reverts(
    backend: str, tmp_path: Path
) -> None:
    async with fresh_database(backend, tmp_path) as database:
        engine = create_engine(database)
        try:
            await upgrade_to_head(engine)
            assert await schema_is_current(engine)
            async with engine.connect() as conn:
                columns, tables = await conn.run_sync(_columns_and_tables)
            assert "dispatch_owner" in columns and "replicas" in tables
            async with engine.begin() as conn:
                await conn.run_sync(_downgrade, "0006")
            async with engine.connect() as conn:
                columns, tables = await conn.run_sync(_columns_and_tables)
            assert "dispatch_owner" not in columns and "replicas" not in tables
            assert "dispatch_started_at" in columns
            await upgrade_to_head(engine)
            assert await schema_is_current(engine)
        finally:
            await engine.dispose()
