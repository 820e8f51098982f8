"""Throw-away databases on SQLite, PostgreSQL and MariaDB for the store suites.

PostgreSQL and MySQL come from TEST_PG_DSN / TEST_MYSQL_DSN (default: this machine's servers). A test
against a server that is absent is skipped with the reason, except under CI=true, where it fails:
CI must never silently skip them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suno.store import Database, TaskStore, create_engine, parse_sql_dsn, sqlite_database, upgrade_to_head

DEFAULT_DSNS = {
    "postgres": ("TEST_PG_DSN", "postgres://postgres@127.0.0.1:5432/test"),
    "mysql": ("TEST_MYSQL_DSN", "mysql://root@127.0.0.1:3306/test"),
}
BACKENDS = ("sqlite", "postgres", "mysql")


def backend_params() -> list[object]:
    return [
        pytest.param(name, marks=() if name == "sqlite" else getattr(pytest.mark, name)) for name in BACKENDS
    ]


def server_url(backend: str) -> URL:
    variable, default = DEFAULT_DSNS[backend]
    return parse_sql_dsn(os.environ.get(variable) or default)


def _unavailable(backend: str, error: Exception) -> None:
    variable, _ = DEFAULT_DSNS[backend]
    message = f"{backend} is not reachable at {server_url(backend).render_as_string()} ({variable}): {error}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} — CI must run the {backend} suite")
    pytest.skip(message)


@contextlib.asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A new empty database for one test, dropped afterwards."""
    if backend == "sqlite":
        yield sqlite_database(str(tmp_path / f"{uuid.uuid4().hex}.db"))
        return
    admin_url = server_url(backend)
    name = f"sunoql_t_{uuid.uuid4().hex[:12]}"
    admin: AsyncEngine = create_async_engine(
        admin_url, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f"CREATE DATABASE {name}"))
    except Exception as error:
        await admin.dispose()
        _unavailable(backend, error)
    try:
        yield Database(url=admin_url.set(database=name))
    finally:
        async with admin.connect() as conn:
            if backend == "postgres":
                await conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                await conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        await admin.dispose()


@contextlib.asynccontextmanager
async def migrated_store(backend: str, tmp_path: Path) -> AsyncIterator[TaskStore]:
    async with fresh_database(backend, tmp_path) as database:
        engine = create_engine(database)
        await upgrade_to_head(engine)
        store = TaskStore(engine)
        try:
            yield store
        finally:
            await store.close()
