"""GraphiQL in a real headless Chromium (driven over the DevTools protocol): page, query and subscription, no CDN."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from schema.graphiql_assets import fetch, missing_assets
from suno.config import Settings
from tests.support.app import RunningApp, running_app

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
TOKEN = "browser-secret"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response .CodeMirror"


class Page:
    """One browser tab over CDP: navigate, evaluate JavaScript, wait for a condition."""

    def __init__(self, socket: websockets.ClientConnection, session_id: str) -> None:
        self._socket = socket
        self._session = session_id
        self._ids = itertools.count(1)

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        message_id = next(self._ids)
        await self._socket.send(
            json.dumps(
                {"id": message_id, "method": method, "params": params or {}, "sessionId": self._session}
            )
        )
        while True:
            reply = json.loads(await self._socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 15.0) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            await asyncio.sleep(0.1)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})
        await self.wait_for(
            f"document.readyState === 'complete' && document.querySelector('{QUERY_EDITOR}') !== null"
        )

    async def run(self, query: str) -> None:
        await self.evaluate(
            f"document.querySelector('{QUERY_EDITOR}').CodeMirror.setValue({json.dumps(query)})"
        )
        await self.evaluate("document.querySelector('.graphiql-execute-button').click()")

    async def response_text(self) -> str:
        return str(await self.evaluate(f"document.querySelector('{RESPONSE}').CodeMirror.getValue()"))


@contextlib.asynccontextmanager
async def browser_page() -> AsyncIterator[Page]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert process.stderr is not None
            endpoint = None
            while endpoint is None:
                line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
                if not line:
                    raise RuntimeError("chromium exited before opening its DevTools endpoint")
                if match := re.search(r"DevTools listening on (ws://\S+)", line):
                    endpoint = match.group(1)
            async with websockets.connect(endpoint, max_size=None) as socket:
                browser = Page(socket, "")
                target = await browser.send("Target.createTarget", {"url": "about:blank"})
                attached = await browser.send(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
                )
                page = Page(socket, attached["sessionId"])
                await page.send("Page.enable")
                await page.send("Runtime.enable")
                yield page
        finally:
            process.kill()
            await process.wait()


async def ensure_assets() -> None:
    if missing_assets():
        # CI runs `python -m schema.graphiql_assets fetch` at install; this covers a fresh checkout.
        await asyncio.to_thread(fetch)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    await ensure_assets()
    async with running_app(settings.with_overrides(secret_token=TOKEN, simulator_speed=20.0)) as served:
        yield served


async def generate(app: RunningApp) -> str:
    mutation = 'mutation { generateMusic(input: {gptDescriptionPrompt: "rain"}) { id } }'
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        created = await client.post(
            "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    task_id: str = created.json()["data"]["generateMusic"]["id"]
    return task_id


def response_includes(text: str) -> str:
    return f"document.querySelector('{RESPONSE}').CodeMirror.getValue().includes({json.dumps(text)})"


async def test_graphiql_runs_a_query_and_follows_a_subscription_with_only_local_assets(
    app: RunningApp,
) -> None:
    async with browser_page() as page:
        await page.goto(f"{app.base_url}/graphql")
        # The token goes in GraphiQL's Headers tab (persisted in localStorage), then the page reloads with it.
        headers = json.dumps(json.dumps({"Authorization": f"Bearer {TOKEN}"}))
        await page.evaluate(f"localStorage.setItem('graphiql:headers', {headers})")
        await page.goto(f"{app.base_url}/graphql")

        # GraphiQL wires its editors a moment after they appear: run again until the first answer shows.
        for _ in range(30):
            await page.run("{ knownModels }")
            with contextlib.suppress(TimeoutError):
                await page.wait_for(response_includes("chirp-fenix"), timeout=1.0)
                break
        assert json.loads(await page.response_text()) == {
            "data": {"knownModels": ["chirp-fenix", "chirp-v4", "chirp-v3-5", "chirp-v3-0"]}
        }

        # Made only now, so the subscription follows a moving task rather than a finished one.
        task_id = await generate(app)
        await page.run(f'subscription {{ taskProgress(id: "{task_id}") {{ id status }} }}')
        await page.wait_for(response_includes("SUCCESS"), timeout=30)
        assert json.loads(await page.response_text())["data"]["taskProgress"] == {
            "id": task_id,
            "status": "SUCCESS",
        }

        loaded = await page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded, "the page loaded no assets"
    assert all(url.startswith(app.base_url) for url in loaded), loaded
