"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from suno.config import Settings, UpstreamMode


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
    )
