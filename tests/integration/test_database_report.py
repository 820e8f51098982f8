"""The run's summary names the databases it used: URLs without passwords, or why a server was skipped."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# One store test on SQLite and MariaDB (aimed at a closed port, with a password that must not show);
# PostgreSQL left out by -k.
SELECTION = (
    "tests/integration/test_store_conformance.py",
    "-k",
    "test_store_reports_overdue_unfinished_tasks and not postgres",
)
UNREACHABLE_MYSQL = "mysql://root:hunter2@127.0.0.1:9/test"


async def test_the_summary_says_which_databases_ran_and_why_one_was_skipped() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # under CI an absent server fails instead
    env["TEST_MYSQL_DSN"] = UNREACHABLE_MYSQL
    # Only the plugins the suite needs: schemathesis' and hypothesis' would triple the start-up time.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pytest",
        *SELECTION,
        "-p",
        "no:cacheprovider",
        "-p",
        "pytest_asyncio.plugin",
        "-p",
        "pytest_timeout",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(process.communicate(), 60))[0].decode()
    assert process.returncode == 0, output
    section = output.split(" databases ", 1)[1].splitlines()
    assert section[1] == "SQLite: always (the default store of every test)", output
    assert section[2].startswith("PostgreSQL: not selected (postgresql+asyncpg://"), output
    assert section[3].startswith(
        "MariaDB/MySQL: skipped: mysql is not reachable at mysql+asyncmy://root:***@127.0.0.1:9/test"
    ), output
    assert "hunter2" not in output
