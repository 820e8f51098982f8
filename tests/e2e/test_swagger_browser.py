"""Swagger UI in headless Chromium with every address but loopback cut off: it renders /openapi.json and runs a call."""

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
from urllib.parse import urlsplit

import pytest
import websockets

from suno.config import Settings
from tests.support.app import running_app

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No network but loopback: a dead proxy for everything, and no name resolves.
OFFLINE_FLAGS = (
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


class Tab:
    """One page over the Chrome DevTools Protocol; remembers every URL the page requested."""

    def __init__(self, socket: websockets.ClientConnection, session_id: str) -> None:
        self.socket = socket
        self.session_id = session_id
        self.ids = itertools.count(1)
        self.requested: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params or {}, "sessionId": self.session_id}
        await self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(await self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self._observe(reply)

    def _observe(self, event: dict[str, Any]) -> None:
        params = event.get("params", {})
        if event.get("method") == "Network.requestWillBeSent":
            self.requested.append(params["request"]["url"])
        elif event.get("method") == "Network.loadingFailed":
            self.failed.append(f"{params.get('errorText')} ({params.get('requestId')})")
        elif event.get("method") == "Runtime.exceptionThrown":
            self.console_errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while not (value := await self.evaluate(expression)):
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            await asyncio.sleep(0.1)
        return value


@contextlib.asynccontextmanager
async def offline_tab() -> AsyncIterator[Tab]:
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
            *OFFLINE_FLAGS,
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
                browser = Tab(socket, "")
                target = await browser.send("Target.createTarget", {"url": "about:blank"})
                attached = await browser.send(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
                )
                tab = Tab(socket, attached["sessionId"])
                for domain in ("Page", "Runtime", "Network"):
                    await tab.send(f"{domain}.enable")
                yield tab
        finally:
            process.kill()
            await process.wait()


async def test_swagger_ui_renders_every_operation_offline_and_runs_ping(settings: Settings) -> None:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    async with running_app(settings) as served, offline_tab() as tab:
        # The old address: /swagger/ redirects to the page.
        await tab.send("Page.navigate", {"url": f"{served.base_url}/swagger/"})
        await tab.wait_for("location.pathname === '/swagger/index.html'")
        await tab.wait_for("document.querySelectorAll('.opblock').length >= 7")
        summaries = await tab.evaluate(
            "[...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent.trim())"
        )
        title = await tab.evaluate("document.querySelector('.info .title').textContent")
        page_text = await tab.evaluate("document.body.innerText")

        # Run GET /ping from the page: Try it out, Execute, read the live response.
        await tab.evaluate(
            "[...document.querySelectorAll('.opblock-summary')]"
            ".find(e => e.textContent.includes('/ping')).querySelector('button').click()"
        )
        await tab.wait_for("document.querySelector('.opblock.is-open .try-out__btn') !== null")
        await tab.evaluate("document.querySelector('.opblock.is-open .try-out__btn').click()")
        await tab.wait_for("document.querySelector('.opblock.is-open .execute') !== null")
        await tab.evaluate("document.querySelector('.opblock.is-open .execute').click()")
        response = await tab.wait_for(
            "(document.querySelector('.opblock.is-open .live-responses-table .response-col_description pre')"
            " || {}).textContent"
        )
        requested, failed = list(tab.requested), list(tab.failed)
        # The cut is real: anything beyond loopback fails.
        probe = await tab.evaluate(
            "fetch('https://unpkg.com/swagger-ui-dist').then(() => 'reached', () => 'blocked')"
        )

    assert title.startswith("sunoql")
    for path in (
        "/suno/submit/music",
        "/suno/submit/lyrics",
        "/suno/fetch/{task_id}",
        "/suno/fetch",
        "/suno/account",
    ):
        assert path in summaries, summaries
    assert "/v1/chat/completions" in summaries and "/ping" in summaries
    assert "Unable to render" not in page_text and "Failed to load API definition" not in page_text
    assert json.loads(response) == {"message": "pong"}
    origin = urlsplit(served.base_url).netloc
    assert probe == "blocked"
    foreign = [
        url for url in requested if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != origin
    ]
    assert foreign == [], foreign  # every asset came from sunoql itself
    assert any(url.endswith("/swagger/swagger-ui-bundle.js") for url in requested)
    assert failed == [] and tab.console_errors == []
