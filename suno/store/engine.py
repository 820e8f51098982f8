"""Creates the async engine for a Database, with SQLite set up for one writer at a time (WAL, BEGIN IMMEDIATE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suno.store.dsn import Database

# Execution option marking a connection that only reads (see _on_begin).
READ_ONLY = "sunoql_read_only"


def create_engine(database: Database) -> AsyncEngine:
    if database.dialect in ("mysql", "mariadb"):
        # READ COMMITTED: InnoDB then takes no gap locks, so SKIP LOCKED claims skip only the rows
        # another replica holds instead of whole ranges.
        return create_async_engine(
            database.url, pool_pre_ping=True, pool_size=10, max_overflow=10, isolation_level="READ COMMITTED"
        )
    if not database.is_sqlite:
        return create_async_engine(database.url, pool_pre_ping=True, pool_size=10, max_overflow=10)

    if database.url.database:
        Path(database.url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(database.url, connect_args={"timeout": database.busy_timeout_ms / 1000})
    busy_timeout = database.busy_timeout_ms

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Transactions that read then write must hold the write lock from the start, or two of them
        # deadlock on the upgrade from shared to reserved. Pure reads must not: under WAL they run
        # beside the writer, and taking the lock for them would queue every reader behind it.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
