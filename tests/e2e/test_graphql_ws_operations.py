"""Queries and mutations over both WebSocket subprotocols: the older `graphql-ws` carries them too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from suno.config import Settings
from tests.support.app import RunningApp, running_app

TOKEN = "ws-ops-secret"
PROTOCOLS = [WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL, WebsocketsTransport.APOLLO_SUBPROTOCOL]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[RunningApp]:
    async with running_app(settings.with_overrides(secret_token=TOKEN)) as served:
        yield served


def ws_client(app: RunningApp, protocol: str) -> Client:
    return Client(
        transport=WebsocketsTransport(
            url=f"{app.ws_url}/graphql",
            subprotocols=[protocol],
            init_payload={"Authorization": f"Bearer {TOKEN}"},
        )
    )


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_mutation_then_a_query_run_over_the_websocket(app: RunningApp, protocol: str) -> None:
    async with ws_client(app, protocol) as session:
        made = await session.execute(
            gql('mutation { generateMusic(input: {gptDescriptionPrompt: "rain"}) { id } }')
        )
        task_id = made["generateMusic"]["id"]
        found = await session.execute(
            gql("query($id: ID!) { task(id: $id) { id action } }"), variable_values={"id": task_id}
        )
    assert found["task"] == {"id": task_id, "action": "MUSIC"}


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_bad_input_over_the_websocket_is_bad_user_input_not_internal(
    app: RunningApp, protocol: str
) -> None:
    async with ws_client(app, protocol) as session:
        with pytest.raises(TransportQueryError) as raised:
            await session.execute(gql('mutation { generateMusic(input: {title: "no song"}) { id } }'))
    assert raised.value.errors is not None
    assert raised.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
