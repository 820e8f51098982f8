"""The web console at / in a real headless Chromium against the simulator: make a song, watch it, play it.

Offline (only loopback answers) with the Network domain on, so every request the page makes is seen.
Screenshots go to test-artifacts/console/ (or TEST_ARTIFACTS_DIR).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from suno.config import CaptchaSolver, Settings
from tests.support.app import RunningApp, running_app
from tests.support.artifacts import artifacts_dir, screenshot
from tests.support.browser import CdpPage, chromium_page, require_chromium

pytestmark = pytest.mark.browser

TOKEN = "console-secret"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    require_chromium()
    # Slow enough that the page sees the task wait, queue and run before it ends (about 8 s a song).
    async with running_app(settings.with_overrides(secret_token=TOKEN, simulator_speed=5.0)) as served:
        yield served


async def open_page(page: CdpPage, base_url: str) -> None:
    await page.send("Page.navigate", {"url": f"{base_url}/"})
    await page.wait_for("document.readyState === 'complete'", timeout=15)


async def open_console(page: CdpPage, app: RunningApp, viewport: dict[str, Any] = DESKTOP) -> None:
    await page.send("Emulation.setDeviceMetricsOverride", viewport)
    await open_page(page, app.base_url)


async def give_token(page: CdpPage) -> None:
    await page.wait_for("!document.querySelector('#token-dialog').hidden", timeout=15)
    await set_value(page, "#token-input", TOKEN)
    await page.evaluate("document.querySelector('#token-form').requestSubmit()")
    await page.wait_for("document.body.dataset.ready === 'true'", timeout=20)


async def wait_for(page: CdpPage, expression: str, timeout: float) -> Any:
    """page.wait_for, failing with what the page told its user (an error from the API, say)."""
    try:
        return await page.wait_for(expression, timeout=timeout)
    except AssertionError as error:
        notice = await page.evaluate("document.querySelector('#notice').textContent")
        raise AssertionError(f"{error}; the page says: {notice!r}; errors: {page.console_errors}") from None


async def set_value(page: CdpPage, selector: str, value: str) -> None:
    await page.evaluate(
        f"(() => {{ const node = document.querySelector({json.dumps(selector)}); node.value = {json.dumps(value)};"
        " node.dispatchEvent(new Event('input', {bubbles: true}));"
        " node.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )


async def click(page: CdpPage, selector: str) -> None:
    await page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


async def user_gesture(page: CdpPage, expression: str) -> Any:
    """Evaluate as if the user clicked: media may play only after a gesture."""
    result = await page.send(
        "Runtime.evaluate",
        {"expression": expression, "returnByValue": True, "awaitPromise": True, "userGesture": True},
    )
    assert "exceptionDetails" not in result, result["exceptionDetails"]
    return result["result"].get("value")


def outside(app: RunningApp, urls: list[str]) -> list[str]:
    return [url for url in urls if not url.startswith((app.base_url, "data:", "blob:"))]


async def test_the_page_shell_loads_without_a_token_and_says_what_it_needs(app: RunningApp) -> None:
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        page = await client.get("/")
        script = await client.get("/console/app.js")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert script.headers["content-type"].startswith("text/javascript")
    async with chromium_page(offline=True) as browser:
        await open_console(browser, app, PHONE)
        await browser.wait_for("!document.querySelector('#token-dialog').hidden", timeout=15)
        assert await browser.evaluate("document.querySelector('#create-form').hidden")
        await screenshot(browser, artifacts_dir("console") / "token-asked-phone.png")
        # A wrong token is refused, forgotten, and asked again; the right one opens the console.
        await set_value(browser, "#token-input", "not-the-token")
        await browser.evaluate("document.querySelector('#token-form').requestSubmit()")
        await wait_for(
            browser, "document.querySelector('#token-message').textContent.includes('refused')", 15
        )
        assert await browser.evaluate("sessionStorage.getItem('sunoql:token')") is None
        await give_token(browser)
        assert not await browser.evaluate("document.querySelector('#create-form').hidden")
        assert not browser.console_errors, browser.console_errors


async def test_a_song_made_in_the_console_moves_live_plays_and_is_in_the_history(app: RunningApp) -> None:
    shots = artifacts_dir("console")
    async with chromium_page(offline=True, watch_network=True) as page:
        await open_console(page, app)
        await give_token(page)
        assert await page.evaluate("sessionStorage.getItem('sunoql:token')") == TOKEN
        # The secret is never written into the page.
        assert TOKEN not in await page.evaluate("document.documentElement.outerHTML")

        await click(page, "input[name=mode][value=custom]")
        # Suno writes the lyrics (a lyrics task followed by subscription), then the form has them.
        await set_value(page, "#lyrics-about", "rain on the roof")
        await click(page, "#write-lyrics")
        await wait_for(page, "document.querySelector('#lyrics').value.length > 0", timeout=30)
        await wait_for(page, "document.querySelector('#title').value.length > 0", timeout=5)
        await set_value(page, "#title", "Console Rain")
        await set_value(page, "#tags", "lofi, rain")
        await set_value(page, "#vocal-gender", "FEMALE")
        await screenshot(page, shots / "create-form.png")
        await page.evaluate("document.querySelector('#create-form').requestSubmit()")

        card = "#live-list .task"
        await wait_for(page, f"document.querySelector('{card}') !== null", timeout=15)
        task_id = await page.evaluate(f"document.querySelector('{card}').dataset.taskId")
        await wait_for(page, f"document.querySelector('{card}').dataset.status === 'IN_PROGRESS'", timeout=30)
        await screenshot(page, shots / "song-in-progress.png")
        await wait_for(page, f"document.querySelector('{card}').dataset.status === 'SUCCESS'", timeout=60)
        seen = str(await page.evaluate(f"document.querySelector('{card}').dataset.seen")).split()
        assert len(seen) >= 3 and seen[-1] == "SUCCESS", seen
        assert (
            await page.evaluate("document.querySelector('#announce').textContent") == "Console Rain: success"
        )
        # One page load all along: the states came by subscription.
        assert await page.evaluate("performance.getEntriesByType('navigation').length") == 1

        first_ready = f"document.querySelector('{card} audio[preload=metadata]')"
        await wait_for(page, f"{first_ready} !== null", timeout=60)
        # By clip id: the other clip's player may appear before it later on.
        clip_id = await page.evaluate(f"{first_ready}.closest('.clip').dataset.clipId")
        audio = f"document.querySelector('{card} .clip[data-clip-id=\"{clip_id}\"] audio')"
        await user_gesture(page, f"{audio}.play()")
        await wait_for(page, f"{audio}.currentTime > 0 && {audio}.duration > 0", timeout=15)
        state = await page.evaluate(
            f"(a => ({{paused: a.paused, ended: a.ended, time: a.currentTime, error: a.error?.message}}))({audio})"
        )
        assert not state["paused"], state
        await screenshot(page, shots / "console.png", full_page=False)  # the README's picture

        history = f"#history-list .task[data-task-id='{task_id}']"
        await wait_for(page, f'document.querySelector("{history}") !== null', timeout=20)
        assert "Console Rain" in await page.evaluate(f'document.querySelector("{history}").textContent')
        await set_value(page, "#history-search", "no such words")
        await wait_for(page, f'document.querySelector("{history}") === null', timeout=5)
        await set_value(page, "#history-search", "console rain")
        await wait_for(page, f'document.querySelector("{history}") !== null', timeout=5)
        await screenshot(page, shots / "song-finished.png")

        assert not page.console_errors, page.console_errors
        assert page.requested, "the page made no request"
        assert not outside(app, page.requested), outside(app, page.requested)


async def has_mutation(app: RunningApp, name: str) -> bool:
    query = "{ __schema { mutationType { fields { name } } } }"
    async with httpx.AsyncClient(base_url=app.base_url) as client:
        reply = await client.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    return name in {field["name"] for field in reply.json()["data"]["__schema"]["mutationType"]["fields"]}


@pytest.fixture
async def captcha_app(settings: Settings) -> AsyncIterator[RunningApp]:
    require_chromium()
    # A person hands the token in (the relay solver).
    overrides: dict[str, Any] = {
        "secret_token": TOKEN,
        "simulator_speed": 20.0,
        "captcha_solver": CaptchaSolver.RELAY,
    }
    async with running_app(settings.with_overrides(**overrides)) as served:
        yield served


async def test_an_account_needing_a_captcha_takes_a_token_pasted_in_the_console(
    captcha_app: RunningApp,
) -> None:
    app = captcha_app
    assert await has_mutation(app, "solveChallenge")
    assert app.runtime.simulator is not None
    # Suno asks every account for an hCaptcha (version 1) until a valid token is handed in.
    app.runtime.simulator.app.state.challenges.default_required = True
    shots = artifacts_dir("console")
    async with chromium_page(offline=True, watch_network=True) as page:
        await open_console(page, app, PHONE)
        await give_token(page)
        await set_value(page, "#description", "rain on a tin roof")
        await page.evaluate("document.querySelector('#create-form').requestSubmit()")
        card = "#live-list .task"
        await wait_for(page, f"document.querySelector('{card} .waiting') !== null", timeout=60)
        account = "#accounts-list .account[data-state=CHALLENGE_REQUIRED]"
        await wait_for(page, f"document.querySelector('{account} form.challenge') !== null", timeout=60)
        await screenshot(page, shots / "account-needs-captcha-phone.png")

        await set_value(page, f"{account} form.challenge textarea", "P1_a-captcha-token")
        await page.evaluate(f"document.querySelector('{account} form.challenge').requestSubmit()")
        await wait_for(
            page, "document.querySelector('#notice').textContent.startsWith('Token sent')", timeout=20
        )
        # The token is not shown anywhere once sent.
        assert "P1_a-captcha-token" not in await page.evaluate("document.documentElement.outerHTML")
        # The parked song goes with the token and ends, seen live.
        await wait_for(page, f"document.querySelector('{card}').dataset.status === 'SUCCESS'", timeout=60)
        await screenshot(page, shots / "account-captcha-solved-phone.png")
        assert not page.console_errors, page.console_errors
        assert not outside(app, page.requested), outside(app, page.requested)
