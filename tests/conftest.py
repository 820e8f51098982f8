"""Fixtures shared by every suite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from suno.config import Settings, UpstreamMode
from suno.store import TaskStore
from tests.support.database_report import database_lines
from tests.support.databases import backend_params, migrated_store
from tests.support.protocol import test_protocol


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which databases this run used: `make test` must not leave PostgreSQL or MariaDB out unseen."""
    terminalreporter.write_sep("-", "databases")
    for line in database_lines(terminalreporter.stats):
        terminalreporter.write_line(line)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a test: a fresh SQLite file, fast polling, the simulator running fast."""
    return Settings(
        sqlite_path=str(tmp_path / "sunoql.db"),
        poll_interval=0.05,
        upstream_mode=UpstreamMode.SIMULATOR,
        simulator_speed=50.0,
        chat_template_dir=str(Path(__file__).resolve().parent.parent / "templates"),
        log_dir=str(tmp_path / "logs"),
        suno_protocol=test_protocol(),
    )


@pytest.fixture(params=backend_params())
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TaskStore]:
    """A migrated, empty store on each backend in turn (SQLite, PostgreSQL, MariaDB)."""
    async with migrated_store(request.param, tmp_path) as task_store:
        yield task_store


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[TaskStore]:
    async with migrated_store("sqlite", tmp_path) as task_store:
        yield task_store
