"""GraphiQL in a real headless Chromium (driven over the DevTools protocol): page, query and subscription, no CDN."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from ops.graphiql_assets import fetch
from schema.graphiql import missing_assets
from suno.config import Settings
from suno.models import KNOWN_MODELS
from tests.support.app import RunningApp, running_app
from tests.support.browser import CdpPage, chromium_page, require_chromium
from tests.support.eventually import eventually

pytestmark = pytest.mark.browser

TOKEN = "browser-secret"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response .CodeMirror"


async def goto(page: CdpPage, url: str) -> None:
    await page.send("Page.navigate", {"url": url})
    await page.wait_for(
        f"document.readyState === 'complete' && document.querySelector('{QUERY_EDITOR}') !== null",
        timeout=15.0,
    )


async def run(page: CdpPage, query: str) -> None:
    await page.evaluate(f"document.querySelector('{QUERY_EDITOR}').CodeMirror.setValue({json.dumps(query)})")
    await page.evaluate("document.querySelector('.graphiql-execute-button').click()")


async def response_text(page: CdpPage) -> str:
    return str(await page.evaluate(f"document.querySelector('{RESPONSE}').CodeMirror.getValue()"))


async def ensure_assets() -> None:
    if missing_assets():
        # CI runs `python -m ops.graphiql_assets fetch` at install; this covers a fresh checkout.
        await asyncio.to_thread(fetch)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    require_chromium()
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
    async with chromium_page() as page:
        await goto(page, f"{app.base_url}/graphql")
        # The token goes in GraphiQL's Headers tab (persisted in localStorage), then the page reloads with it.
        headers = json.dumps(json.dumps({"Authorization": f"Bearer {TOKEN}"}))
        await page.evaluate(f"localStorage.setItem('graphiql:headers', {headers})")
        await goto(page, f"{app.base_url}/graphql")

        # GraphiQL wires its editors a moment after they appear: run again until the first answer shows.
        async def answered() -> None:
            await run(page, "{ knownModels }")
            await page.wait_for(response_includes("chirp-fenix"), timeout=1.0)

        await eventually(answered, timeout=30, interval=0)
        assert json.loads(await response_text(page)) == {"data": {"knownModels": list(KNOWN_MODELS)}}

        # Made only now, so the subscription follows a moving task rather than a finished one.
        task_id = await generate(app)
        await run(page, f'subscription {{ taskProgress(id: "{task_id}") {{ id status }} }}')
        await page.wait_for(response_includes("SUCCESS"), timeout=30)
        assert json.loads(await response_text(page))["data"]["taskProgress"] == {
            "id": task_id,
            "status": "SUCCESS",
        }

        loaded = await page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded, "the page loaded no assets"
    assert all(url.startswith(app.base_url) for url in loaded), loaded
