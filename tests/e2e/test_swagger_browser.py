"""Swagger UI in headless Chromium with every address but loopback cut off: it renders /openapi.json and runs a call."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from suno.config import Settings
from tests.support.app import running_app
from tests.support.browser import chromium_page, require_chromium

pytestmark = pytest.mark.browser


async def test_swagger_ui_renders_every_operation_offline_and_runs_ping(settings: Settings) -> None:
    require_chromium()
    async with running_app(settings) as served, chromium_page(offline=True, watch_network=True) as tab:
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
