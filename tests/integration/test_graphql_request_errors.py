"""Requests GraphQL cannot read still get GraphQL's error shape, with extensions.code, never plain text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from suno.config import Settings
from tests.support.app import app_client
from tests.support.fake_upstream import FakeUpstream


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, FakeUpstream()) as http:
        yield http


JSON = {"Content-Type": "application/json"}
UNREADABLE: list[tuple[str, dict[str, Any]]] = [
    ("an empty body", {"content": b"", "headers": JSON}),
    ("broken JSON", {"content": b'{"query": ', "headers": JSON}),
    ("a batch", {"json": [{"query": "{ __typename }"}, {"query": "{ __typename }"}]}),
    ("a form post", {"data": {"query": "{ __typename }"}}),
    ("a query that is not a string", {"json": {"query": 42}}),
]


@pytest.mark.parametrize(("case", "request_args"), UNREADABLE, ids=[case for case, _ in UNREADABLE])
async def test_an_unreadable_request_is_a_graphql_error_with_a_code(
    client: httpx.AsyncClient, case: str, request_args: dict[str, Any]
) -> None:
    response = await client.post("/graphql", **request_args)
    assert response.status_code == 400, case
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert body["errors"][0]["message"]


async def test_a_batch_is_refused_with_a_reason_a_person_understands(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ __typename }"}])
    assert "one operation per request" in response.json()["errors"][0]["message"]


async def test_a_wrong_method_is_method_not_allowed_in_graphql_shape(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
