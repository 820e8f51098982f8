"""The PPROF debug listener (loopback only): an on-demand CPU profile of the process, and its asyncio tasks."""

from __future__ import annotations

import asyncio
import io
import sys
from typing import Any

from pyinstrument import Profiler
from pyinstrument.renderers import SpeedscopeRenderer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

PPROF_HOST = "127.0.0.1"  # never the public interface: a profile shows code paths and arguments
DEFAULT_SECONDS = 10.0
MAX_SECONDS = 300.0
SAMPLE_INTERVAL = 0.001

INDEX = """sunoql debug listener
/debug/pprof/profile?seconds=10&format=html        CPU profile of the event loop thread (pyinstrument)
/debug/pprof/profile?seconds=10&format=speedscope  the same as speedscope JSON (open at speedscope.app)
/debug/pprof/profile?seconds=10&format=text        the same as a text call tree
/debug/pprof/tasks                                 every running asyncio task with its stack
"""


def profiling_app() -> Starlette:
    busy = asyncio.Lock()

    async def index(_request: Request) -> Response:
        return PlainTextResponse(INDEX)

    async def profile(request: Request) -> Response:
        try:
            seconds = float(request.query_params.get("seconds", DEFAULT_SECONDS))
        except ValueError:
            return PlainTextResponse("seconds: must be a number\n", 400)
        if not 0 < seconds <= MAX_SECONDS:
            return PlainTextResponse(f"seconds: must be in (0, {MAX_SECONDS:g}]\n", 400)
        output = request.query_params.get("format", "html")
        if output not in ("html", "speedscope", "text"):
            return PlainTextResponse("format: must be html, speedscope or text\n", 400)
        if busy.locked():
            return PlainTextResponse("a profile is already being taken; try again when it ends\n", 409)
        async with busy:
            profiler = await sample(seconds)
        if output == "speedscope":
            return Response(
                profiler.output(renderer=SpeedscopeRenderer()),
                media_type="application/json",
                headers={"Content-Disposition": 'attachment; filename="sunoql.speedscope.json"'},
            )
        if output == "text":
            return PlainTextResponse(profiler.output_text(unicode=True, show_all=False))
        return HTMLResponse(profiler.output_html())

    async def tasks(request: Request) -> Response:
        if request.query_params.get("format") == "json":
            return JSONResponse(task_list())
        return PlainTextResponse(task_dump())

    return Starlette(
        routes=[
            Route("/", index),
            Route("/debug/pprof/", index),
            Route("/debug/pprof/profile", profile),
            Route("/debug/pprof/tasks", tasks),
        ]
    )


async def sample(seconds: float) -> Profiler:
    """Profile the whole event loop thread, every task on it, while this coroutine sleeps."""
    profiler = Profiler(interval=SAMPLE_INTERVAL, async_mode="disabled")
    profiler.start()
    try:
        await asyncio.sleep(seconds)
    finally:
        profiler.stop()
    return profiler


def task_list() -> list[dict[str, Any]]:
    return [
        {"name": task.get_name(), "coroutine": _coroutine_name(task), "stack": _stack(task)}
        for task in sorted(asyncio.all_tasks(), key=lambda t: t.get_name())
    ]


def task_dump() -> str:
    listed = task_list()
    out = io.StringIO()
    out.write(f"{len(listed)} asyncio tasks (python {sys.version.split()[0]})\n\n")
    for item in listed:
        out.write(f"task {item['name']}: {item['coroutine']}\n")
        for line in item["stack"]:
            out.write(f"    {line}\n")
        out.write("\n")
    return out.getvalue()


def _coroutine_name(task: asyncio.Task[object]) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or repr(coro)


def _stack(task: asyncio.Task[object]) -> list[str]:
    return [
        f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        for frame in task.get_stack(limit=30)
    ]
