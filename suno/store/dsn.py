"""Turns SQL_DSN / SQLITE_PATH (the original's formats included) into a SQLAlchemy async URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from sqlalchemy.engine import URL, make_url

from suno.errors import SettingsError

# The Go driver's format: user:pass@tcp(host:port)/dbname?params
_GO_MYSQL = re.compile(r"^(?P<user>[^:@/]*)(?::(?P<password>[^@]*))?@tcp\((?P<host>[^)]*)\)/(?P<db>[^?]*)")


@dataclass(frozen=True, slots=True)
class Database:
    url: URL
    # SQLite only: milliseconds a writer waits for the lock.
    busy_timeout_ms: int = 5000

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"


def database_from_settings(sql_dsn: str, sqlite_path: str) -> Database:
    if sql_dsn.strip():
        return Database(url=parse_sql_dsn(sql_dsn.strip()))
    return sqlite_database(sqlite_path)


def parse_sql_dsn(dsn: str) -> URL:
    go_mysql = _GO_MYSQL.match(dsn)
    if go_mysql:
        host, _, port = go_mysql["host"].partition(":")
        return URL.create(
            "mysql+asyncmy",
            username=go_mysql["user"] or None,
            password=go_mysql["password"] or None,
            host=host or "127.0.0.1",
            port=int(port) if port else 3306,
            database=go_mysql["db"],
            query={"charset": "utf8mb4"},
        )
    scheme = urlsplit(dsn).scheme.lower()
    drivers = {
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
        "mysql": "mysql+asyncmy",
        "mariadb": "mysql+asyncmy",
        "sqlite": "sqlite+aiosqlite",
    }
    if scheme in drivers:
        try:
            url = make_url(drivers[scheme] + dsn[len(scheme) :])
        except Exception:
            raise SettingsError("SQL_DSN: not a database URL such as postgres://user:pass@host/db") from None
        # libpq's sslmode is spelled ssl for asyncpg; drop what asyncpg would reject.
        if url.drivername.startswith("postgresql") and "sslmode" in url.query:
            url = url.difference_update_query(["sslmode"])
        return url
    try:
        url = make_url(dsn)
    except Exception:
        raise SettingsError(
            "SQL_DSN: use user:pass@tcp(host:3306)/db (MySQL), postgres://user:pass@host:5432/db, "
            "or a SQLAlchemy URL"
        ) from None
    if url.get_backend_name() not in ("postgresql", "mysql", "mariadb", "sqlite"):
        raise SettingsError(f"SQL_DSN: unsupported database {url.get_backend_name()!r}")
    return url


def sqlite_database(sqlite_path: str) -> Database:
    """`api.db?_busy_timeout=5000` as in the original: a path, then Go-driver style parameters."""
    path, _, query = sqlite_path.partition("?")
    busy = 5000
    for key, value in parse_qsl(query):
        if key.lstrip("_") == "busy_timeout":
            if not value.isdigit():
                raise SettingsError(f"SQLITE_PATH: _busy_timeout must be milliseconds, got {value!r}")
            busy = int(value)
    path = path or "api.db"
    if path == ":memory:":
        raise SettingsError("SQLITE_PATH: an in-memory database would lose every task; give a file path")
    return Database(url=make_url("sqlite+aiosqlite:///" + quote(path, safe="/:._-~")), busy_timeout_ms=busy)
