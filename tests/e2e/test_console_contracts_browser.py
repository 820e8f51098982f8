"""The console against the contracts of issues 12, 13 and 14 (models, v6 controls, song operations,
account health): a stand-in API has those fields, and the page must find them by introspection and send
them as the contracts name them. Today's server has none of them; the main browser test covers that case.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from rest_compat.console import console_routes
from tests.e2e.test_console_browser import PHONE, click, open_page, set_value, wait_for
from tests.support.artifacts import artifacts_dir, screenshot
from tests.support.browser import CdpPage, chromium_page, require_chromium
from tests.support.contract_api import ContractApi, contract_app
from tests.support.eventually import eventually
from tests.support.server import serve

pytestmark = pytest.mark.browser


@pytest.fixture
async def api() -> AsyncIterator[tuple[ContractApi, str]]:
    require_chromium()
    contract = ContractApi()
    async with serve(contract_app(contract, console_routes())) as base_url:
        yield contract, base_url


async def ready_page(page: CdpPage, base_url: str) -> None:
    await open_page(page, base_url)
    await wait_for(page, "document.body.dataset.ready === 'true'", timeout=20)


def generated(contract: ContractApi, count: int) -> list[dict[str, Any]]:
    inputs = [arguments["input"] for name, arguments in contract.calls if name == "generateMusic"]
    assert len(inputs) == count, inputs
    return inputs


def set_fields(sent: dict[str, Any]) -> dict[str, Any]:
    """What the page set: graphql-core fills the input's defaults (nulls, makeInstrumental false)."""
    return {key: value for key, value in sent.items() if value not in (None, False)}


async def test_models_and_v6_controls_come_from_the_schema_and_are_sent(
    api: tuple[ContractApi, str],
) -> None:
    contract, base_url = api
    async with chromium_page(offline=True) as page:
        await ready_page(page, base_url)
        options = await page.evaluate(
            "[...document.querySelectorAll('#model option')].map(o => [o.value, o.selected, o.disabled])"
        )
        assert options == [
            ["chirp-hawk", True, False],
            ["chirp-auk", False, False],
            ["chirp-v3-0", False, True],
        ]
        await set_value(page, "#description", "a storm at sea")
        await page.evaluate("document.querySelector('details.v6').open = true")
        await set_value(page, "#c-weirdness", "0.7")
        await set_value(page, "#c-variety", "2")
        await set_value(page, "#c-durationSeconds", "120")
        await click(page, "#c-maxMode")
        await set_value(page, "#persona", "p-1")
        await screenshot(page, artifacts_dir("console") / "contract-v6-controls.png")
        await page.evaluate("document.querySelector('#create-form').requestSubmit()")
        await wait_for(page, "document.querySelector('#live-list .task[data-task-id=t-made]') !== null", 10)
        # Instrumental: title and style, no voice even if one was picked before.
        await set_value(page, "#vocal-gender", "MALE")
        await click(page, "input[name=mode][value=instrumental]")
        assert await page.evaluate("document.querySelector('#lyrics').offsetParent === null")
        await set_value(page, "#title", "Tide")
        await set_value(page, "#tags", "ambient")
        await page.evaluate("document.querySelector('#create-form').requestSubmit()")
        await eventually(lambda: generated(contract, 2), timeout=10)
        assert not page.console_errors, page.console_errors
    inspiration, instrumental = generated(contract, 2)
    assert set_fields(inspiration) == {
        "model": "chirp-hawk",
        "gptDescriptionPrompt": "a storm at sea",
        "weirdness": 0.7,
        "variety": 2,
        "durationSeconds": 120,
        "maxMode": True,
        "personaId": "p-1",
    }
    assert set_fields(instrumental) == {
        "model": "chirp-hawk",
        "title": "Tide",
        "tags": "ambient",
        "makeInstrumental": True,
        "weirdness": 0.7,
        "variety": 2,
        "durationSeconds": 120,
        "maxMode": True,
    }


async def test_a_song_menu_offers_the_schema_operations_and_sends_one(api: tuple[ContractApi, str]) -> None:
    contract, base_url = api
    async with chromium_page(offline=True) as page:
        await ready_page(page, base_url)
        clip = "#history-list .clip[data-clip-id=clip-t-old]"
        labels = await page.evaluate(
            f"[...document.querySelectorAll('{clip} .menu-items button')].map(b => b.textContent)"
        )
        # Every operation of the schema, in the schema's order (the real schema has more than the contract).
        promised = ["Extend", "Cover", "Stems", "Remaster", "Make a persona"]
        assert [label for label in labels if label in promised] == promised
        assert {"Full song (concat)", "Add vocals"} <= set(labels), labels
        await page.evaluate(f"document.querySelector('{clip} details.menu').open = true")
        await page.evaluate(f"[...document.querySelectorAll('{clip} .menu-items button')][0].click()")
        form = f"{clip} form[data-operation=extendMusic]"
        await set_value(page, f"{form} [name=continueAt]", "42.5")
        await set_value(page, f"{form} [name=tags]", "darker")
        await screenshot(page, artifacts_dir("console") / "contract-song-operations.png")
        await page.evaluate(f"document.querySelector('{form}').requestSubmit()")
        await wait_for(
            page, "document.querySelector('#live-list .task[data-task-id=t-extendMusic]') !== null", 10
        )
        assert not page.console_errors, page.console_errors
    # What the page filled in (the schema fills every other field of the input with its default, null).
    sent = [
        {key: value for key, value in arguments["input"].items() if value is not None}
        for name, arguments in contract.calls
        if name == "extendMusic"
    ]
    assert sent == [{"clipId": "clip-t-old", "continueAt": 42.5, "tags": "darker"}]


async def test_an_account_needing_a_captcha_shows_it_live_and_takes_a_token_and_a_cookie(
    api: tuple[ContractApi, str],
) -> None:
    contract, base_url = api
    async with chromium_page(offline=True) as page:
        await page.send("Emulation.setDeviceMetricsOverride", PHONE)
        await ready_page(page, base_url)
        account = "#accounts-list .account[data-account=default]"
        await wait_for(
            page,
            f"document.querySelector('{account}[data-state=CHALLENGE_REQUIRED] form.challenge') !== null",
            10,
        )
        assert await page.evaluate(f"document.querySelector('{account} select[name=provider]').value") == "2"
        await screenshot(page, artifacts_dir("console") / "contract-account-captcha-phone.png")
        await set_value(page, f"{account} form.challenge textarea", "P1_token")
        await page.evaluate(f"document.querySelector('{account} form.challenge').requestSubmit()")
        await wait_for(page, f"document.querySelector('{account}[data-state=HEALTHY]') !== null", 10)

        await page.evaluate(f"document.querySelector('{account} details.cookie-box').open = true")
        await set_value(page, f"{account} input[name=cookie]", "__client=secret-cookie")
        await page.evaluate(f"document.querySelector('{account} form.cookie').requestSubmit()")
        await wait_for(page, "document.querySelector('#notice').textContent.startsWith('New cookie')", 10)
        html = await page.evaluate("document.documentElement.outerHTML")
        values = await page.evaluate(
            "[...document.querySelectorAll('input, textarea')].map(i => i.value).join(' ')"
        )
        assert "secret-cookie" not in html + values and "P1_token" not in html + values
        assert not page.console_errors, page.console_errors
    assert ("solveChallenge", {"account": "default", "token": "P1_token", "provider": 2}) in contract.calls
    assert (
        "updateAccount",
        {"name": "default", "cookie": "__client=secret-cookie", "sessionId": None},
    ) in contract.calls


async def test_history_pages_on_with_the_cursor_and_an_upload_joins_the_live_list(
    api: tuple[ContractApi, str],
) -> None:
    contract, base_url = api
    async with chromium_page(offline=True) as page:
        await ready_page(page, base_url)
        older = "#history-list .task[data-task-id=t-older]"
        assert not await page.evaluate(f"document.querySelector('{older}') !== null")
        await click(page, "#history-more")
        await wait_for(page, f"document.querySelector('{older}') !== null", 10)
        assert await page.evaluate("document.querySelector('#history-more').hidden")

        await page.evaluate("document.querySelector('#upload').open = true")
        await set_value(page, "#upload-url", "https://example.com/song.mp3")
        await page.evaluate("document.querySelector('#upload-form').requestSubmit()")
        await wait_for(page, "document.querySelector('#live-list .task[data-task-id=t-upload]') !== null", 10)
        assert not page.console_errors, page.console_errors
    after = [arguments.get("after") for name, arguments in contract.calls if name == "tasks"]
    assert "page-2" in after
    uploads = [arguments["input"] for name, arguments in contract.calls if name == "uploadAudio"]
    assert [{k: v for k, v in sent.items() if v is not None} for sent in uploads] == [
        {"url": "https://example.com/song.mp3"}
    ]


async def test_every_control_has_a_label_and_nothing_overflows_a_phone(api: tuple[ContractApi, str]) -> None:
    _contract, base_url = api
    async with chromium_page(offline=True) as page:
        await page.send("Emulation.setDeviceMetricsOverride", PHONE)
        await ready_page(page, base_url)
        await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        unlabelled = await page.evaluate(
            "[...document.querySelectorAll('input:not([type=radio]):not([type=checkbox]), select, textarea')]"
            ".filter(n => n.offsetParent !== null && !n.labels.length && !n.getAttribute('aria-label'))"
            ".map(n => n.outerHTML)"
        )
        assert unlabelled == []
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # With the keyboard alone: Tab from the top reaches the description, then the create button.
        await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        await page.evaluate("document.activeElement && document.activeElement.blur()")
        focused = []
        for _ in range(40):
            await page.send(
                "Input.dispatchKeyEvent",
                {"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )
            await page.send(
                "Input.dispatchKeyEvent",
                {"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )
            focused.append(
                await page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
            )
            if focused[-1] == "Create song":
                break
        assert "description" in focused and focused[-1] == "Create song", focused
