"""Headless Chromium driven over the Chrome DevTools Protocol (CDP), for the browser tests."""

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

import pytest
import websockets

from tests.support.eventually import eventually

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
# No network but loopback: a dead proxy for everything, and no name resolves.
OFFLINE_FLAGS = (
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def require_chromium() -> None:
    """Skip the calling test (or fixture) when no Chromium is installed."""
    __tracebackhide__ = True  # the skip is reported at the caller's line
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")


class CdpPage:
    """One CDP session (a tab, or the browser itself with session id ""): send, evaluate, wait for.

    Events that arrive while a command waits for its reply are recorded: every URL the page
    requested and every failed load (once the Network domain is enabled), and every uncaught
    JavaScript exception.
    """

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
        """Evaluate `expression` every 0.1 s until it is truthy; return that value."""

        async def truthy() -> Any:
            value = await self.evaluate(expression)
            assert value, f"still {value!r}: {expression}"
            return value

        return await eventually(truthy, timeout=timeout, interval=0.1)


@contextlib.asynccontextmanager
async def chromium_page(*, offline: bool = False, watch_network: bool = False) -> AsyncIterator[CdpPage]:
    """A fresh headless Chromium (own temporary profile) and one blank tab attached over CDP.

    offline: every address but loopback is cut off. watch_network: the Network domain is enabled,
    so the page records what it requested and what failed.
    """
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM,
            *CHROME_FLAGS,
            *(OFFLINE_FLAGS if offline else ()),
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
                browser = CdpPage(socket, "")
                target = await browser.send("Target.createTarget", {"url": "about:blank"})
                attached = await browser.send(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
                )
                page = CdpPage(socket, attached["sessionId"])
                for domain in ("Page", "Runtime", "Network") if watch_network else ("Page", "Runtime"):
                    await page.send(f"{domain}.enable")
                yield page
        finally:
            process.kill()
            await process.wait()
