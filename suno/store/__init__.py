"""The store: tasks, events and leases behind SQLAlchemy async, on SQLite, PostgreSQL or MySQL/MariaDB."""

from __future__ import annotations

from suno.store.dsn import Database, database_from_settings, parse_sql_dsn, sqlite_database
from suno.store.engine import create_engine
from suno.store.migrate import schema_is_current, upgrade_to_head
from suno.store.task_store import Claim, Lease, TaskChange, TaskEvent, TaskStore, UpdateResult

__all__ = [
    "Claim",
    "Database",
    "Lease",
    "TaskChange",
    "TaskEvent",
    "TaskStore",
    "UpdateResult",
    "create_engine",
    "database_from_settings",
    "parse_sql_dsn",
    "schema_is_current",
    "sqlite_database",
    "upgrade_to_head",
]
