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
    """Alive while the event loop answers: a database outage shows in the body, not as a restart."""
    runtime: Checked = request.app.state.runtime
    checks: dict[str, Any] = {
        "process": "ok",
        "store": await store_check(runtime),
        "upstream": "simulator" if runtime.settings.uses_simulator else "suno",
        "worker": worker_check(runtime.worker),
    }
    if checks["store"] == "ok":
        checks["migrations"] = await migrations_check(runtime)
    healthy = checks["store"] == "ok"
    return JSONResponse({"status": "ok" if healthy else "degraded", "checks": checks})


async def readyz(request: Request) -> JSONResponse:
    """503 unless the store answers, its schema is current, an account can work, and no shutdown began."""
    runtime: Checked = request.app.state.runtime
    checks: dict[str, Any] = {"store": await store_check(runtime)}
    checks["migrations"] = await migrations_check(runtime) if checks["store"] == "ok" else "unknown"
    checks["accounts"] = await accounts_check(runtime)
    checks["shutdown"] = "draining" if runtime.service.shutting_down else "no"
    store_ok = checks["store"] == "ok" and checks["migrations"] == "current"
    # The built-in simulator always has a working account; real accounts may all be resting.
    accounts_ok = checks["accounts"]["usable"] > 0 or runtime.settings.uses_simulator
    ready = store_ok and accounts_ok and not runtime.service.shutting_down
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )


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
    usable = [a for a in accounts if a.healthy and not (a.cooldown_until and a.cooldown_until > now)]
    return {
        "usable": len(usable),
        "total": len(accounts),
        "simulator": runtime.settings.uses_simulator,
    }


def worker_check(worker: Worker) -> dict[str, Any]:
    report = worker.last_report
    return {
        "last_tick_seconds": round(report.duration, 4),
        "last_tick_claimed": report.claimed,
        "last_tick_errors": report.errors,
    }
