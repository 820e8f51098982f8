"""The chat door's refusals are worded for a chat user: no field of ours they never sent, no library sentence."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from suno.config import Settings
from tests.support.app import app_client
from tests.support.fake_upstream import FakeUpstream

INTERNAL_WORDS = ("gpt_description_prompt", "mv ", "after validation", "list should have")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, FakeUpstream()) as http:
        yield http


async def refusal(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert not any(word in error["message"] for word in INTERNAL_WORDS), error["message"]
    return error


async def test_an_empty_conversation_asks_for_a_user_message(client: httpx.AsyncClient) -> None:
    error = await refusal(client, {"model": "chirp-fenix", "messages": []})
    assert error["param"] == "messages" and "at least one user message" in error["message"]


async def test_a_message_too_long_for_a_description_says_so_in_the_users_words(
    client: httpx.AsyncClient,
) -> None:
    error = await refusal(client, {"messages": [{"role": "user", "content": "la " * 33_400}]})
    assert error["param"] == "messages" and "your message is too long" in error["message"]
    assert "3000" in error["message"]


async def test_a_model_name_suno_cannot_have_names_the_model(client: httpx.AsyncClient) -> None:
    error = await refusal(client, {"model": "bad model!", "messages": [{"role": "user", "content": "rain"}]})
    assert error["param"] == "model" and "bad model!" in error["message"]


async def test_a_wrong_role_lists_the_roles_it_may_be(client: httpx.AsyncClient) -> None:
    error = await refusal(client, {"messages": [{"role": "robot", "content": "rain"}]})
    assert "must be one of" in error["message"] and "'user'" in error["message"]
