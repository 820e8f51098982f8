"""The served app's uvicorn options: what `sunoql serve` runs is what the tests' server and the benches run."""

from __future__ import annotations

import pytest
import websockets
from websockets.typing import Subprotocol

from ops.server_options import server_options
from suno.config import Settings
from tests.support.app import running_app


async def negotiated_extensions(settings: Settings) -> str | None:
    # The websockets client offers permessage-deflate by default, as browsers do.
    async with running_app(settings) as served:
        socket = await websockets.connect(
            f"{served.ws_url}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        )
        async with socket:
            assert socket.response is not None
            return socket.response.headers.get("Sec-WebSocket-Extensions")


async def test_a_websocket_gets_no_compression_by_default(settings: Settings) -> None:
    # A compressor and a decompressor per connection cost more memory than small snapshots save.
    assert await negotiated_extensions(settings) is None


async def test_ws_per_message_deflate_turns_compression_on(settings: Settings) -> None:
    extensions = await negotiated_extensions(settings.with_overrides(ws_per_message_deflate=True))
    assert extensions is not None and "permessage-deflate" in extensions


def test_the_setting_is_read_from_the_environment() -> None:
    assert Settings.from_env({"WS_PER_MESSAGE_DEFLATE": "true"}).ws_per_message_deflate
    assert not Settings.from_env({}).ws_per_message_deflate


@pytest.mark.parametrize("timeout", [0.2, 8.0, 30.0])
def test_the_graceful_timeout_follows_shutdown_timeout(timeout: float) -> None:
    assert server_options(Settings(shutdown_timeout=timeout))["timeout_graceful_shutdown"] == max(
        int(timeout), 1
    )
