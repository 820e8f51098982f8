"""/healthz (liveness: the process answers) and /readyz (ready for work: store, migrations, an account)."""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from suno.config import Settings
from suno.service import SunoService
from suno.store import TaskStore, schema_is_current
from suno.worker import Worker

CHECK_TIMEOUT = 3.0
_current_schemas: weakref.WeakSet[AsyncEngine] = weakref.WeakSet()


class Checked(Protocol):
    """What the checks read; the composition root's Runtime has it."""

    settings: Settings
    store: TaskStore
    service: SunoService
    worker: Worker


async def healthz(request: Request) -> JSONResponse:
    """Alive while the event loop answers: always 200, so a database outage never restarts the process."""
    _, report = await health_report(request.app.state.runtime)
    return JSONResponse(report)


async def readyz(request: Request) -> JSONResponse:
    """The same report; 503 unless the store answers, its schema is current, an account can work, and no
    shutdown began."""
    ready, report = await health_report(request.app.state.runtime)
    return JSONResponse(report, 200 if ready else 503)


async def health_report(runtime: Checked) -> tuple[bool, dict[str, Any]]:
    """One shape and one vocabulary for both probes: `status` is "ok" when ready for work, else "degraded"."""
    checks: dict[str, Any] = {"process": "ok", "store": await store_check(runtime)}
    checks["migrations"] = await migrations_check(runtime) if checks["store"] == "ok" else "unknown"
    checks["upstream"] = "simulator" if runtime.settings.uses_simulator else "suno"
    checks["accounts"] = await accounts_check(runtime)
    checks["worker"] = worker_check(runtime.worker)
    checks["shutdown"] = "draining" if runtime.service.shutting_down else "no"
    store_ok = checks["store"] == "ok" and checks["migrations"] == "current"
    ready = store_ok and checks["accounts"]["usable"] > 0 and not runtime.service.shutting_down
    return ready, {"status": "ok" if ready else "degraded", "checks": checks}


async def store_check(runtime: Checked) -> str:
    try:
        await asyncio.wait_for(runtime.store.ping(), CHECK_TIMEOUT)
    except Exception as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"


async def migrations_check(runtime: Checked) -> str:
    engine = runtime.store.engine
    if engine in _current_schemas:
        return "current"  # a schema only moves forward: no need to ask (and log) on every probe
    try:
        current = await asyncio.wait_for(schema_is_current(engine), CHECK_TIMEOUT)
    except Exception as error:
        return f"unknown: {type(error).__name__}"
    if current:
        _current_schemas.add(engine)
    return "current" if current else "behind"


async def accounts_check(runtime: Checked) -> dict[str, Any]:
    try:
        accounts = await asyncio.wait_for(runtime.service.account(), CHECK_TIMEOUT)
    except Exception as error:
        return {"usable": 0, "total": 0, "error": type(error).__name__}
    now = time.time()
    resting = [
        a
        for a in accounts
        if a.unusable_reason or not a.healthy or (a.cooldown_until and a.cooldown_until > now)
    ]
    return {
        "usable": len(accounts) - len(resting),
        "total": len(accounts),
        "simulator": runtime.settings.uses_simulator,
        # Why an account takes no work, and until when: the operator's first question.
        "resting": [
            {
                "name": a.name,
                "state": a.state.value,
                "reason": a.unusable_reason or a.last_error or "resting",
                "until": a.cooldown_until,
            }
            for a in resting
        ],
    }


def worker_check(worker: Worker) -> dict[str, Any]:
    report = worker.last_report
    return {
        "last_tick_seconds": round(report.duration, 4),
        "last_tick_claimed": report.claimed,
        "last_tick_errors": report.errors,
    }
