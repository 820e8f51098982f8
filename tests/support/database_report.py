"""Which databases a test run used, for a section of pytest's terminal summary (tests/conftest.py).

SQLite is always there. PostgreSQL and MariaDB/MySQL are named by URL (never with the password) with
how their tests ended, or with why they were skipped, so a run that silently left them out shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tests.support.databases import server_url

SERVERS = {"postgres": "PostgreSQL", "mysql": "MariaDB/MySQL"}
OUTCOMES = ("passed", "failed", "error", "skipped")


def database_lines(stats: Mapping[str, Iterable[Any]]) -> list[str]:
    """One line per database, from the terminal reporter's `stats` (test reports by outcome)."""
    lines = ["SQLite: always (the default store of every test)"]
    for marker, name in SERVERS.items():
        url = server_url(marker).render_as_string(hide_password=True)
        outcomes: dict[str, set[str]] = defaultdict(set)
        reasons: set[str] = set()
        for outcome in OUTCOMES:
            for report in stats.get(outcome, ()):
                if marker not in getattr(report, "keywords", {}):
                    continue
                if outcome == "passed" and report.when != "call":
                    continue  # setup and teardown pass too; count a test once
                outcomes[outcome].add(report.nodeid)
                if outcome == "skipped":
                    reasons.add(_skip_reason(report))
        if not outcomes:
            lines.append(f"{name}: not selected ({url})")
        elif set(outcomes) == {"skipped"}:
            lines.append(f"{name}: skipped: {'; '.join(sorted(reasons))}")
        else:
            counts = ", ".join(f"{len(outcomes[o])} {o}" for o in OUTCOMES if outcomes[o])
            lines.append(f"{name} at {url}: {counts}")
    return lines


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return str(reason).removeprefix("Skipped: ").splitlines()[0]  # not SQLAlchemy's "Background on…"
