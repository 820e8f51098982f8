"""A loopback HTTP receiver for tests: records every JSON POST (alert webhooks) and fakes a captcha solver."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.server import serve


@dataclass
class Receiver:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)


@contextlib.asynccontextmanager
async def webhook_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver("")

    async def record(request: Request) -> JSONResponse:
        receiver.posts.append(await request.json())
        return JSONResponse({"ok": True})

    async with serve(Starlette(routes=[Route("/hook", record, methods=["POST"])])) as base_url:
        receiver.url = f"{base_url}/hook"
        yield receiver


@dataclass
class FakeSolver:
    """2Captcha's JSON API: createTask, then getTaskResult "processing" once, then "ready"."""

    url: str
    solution: str
    tasks: list[dict[str, Any]] = field(default_factory=list)
    results_asked: int = 0


@contextlib.asynccontextmanager
async def fake_solver(solution: str, *, key: str = "solver-key-123456") -> AsyncIterator[FakeSolver]:
    solver = FakeSolver("", solution)
    ids = itertools.count(1000)

    async def create_task(request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("clientKey") != key:
            return JSONResponse({"errorId": 1, "errorCode": "ERROR_KEY_DOES_NOT_EXIST"})
        solver.tasks.append(body["task"])
        return JSONResponse({"errorId": 0, "taskId": next(ids)})

    async def task_result(request: Request) -> JSONResponse:
        solver.results_asked += 1
        if solver.results_asked == 1:
            return JSONResponse({"errorId": 0, "status": "processing"})
        field_name = "token" if solver.tasks[-1]["type"].startswith("Turnstile") else "gRecaptchaResponse"
        return JSONResponse(
            {"errorId": 0, "status": "ready", "solution": {field_name: solver.solution}, "cost": "0.00145"}
        )

    routes = [
        Route("/createTask", create_task, methods=["POST"]),
        Route("/getTaskResult", task_result, methods=["POST"]),
    ]
    async with serve(Starlette(routes=routes)) as base_url:
        solver.url = base_url
        yield solver
