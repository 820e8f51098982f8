"""The two WebSocket subprotocols as the README promises them: queries on both, the same refusal on both.

Strawberry's `graphql-ws` handler runs only subscriptions (a query gets "queries are not allowed"), though
that protocol carries every operation and clients such as gql pick it first. A refused `connection_init`
closes with 4403 on both protocols (Strawberry's `graphql-ws` closes with 1011, a server-error code, and
its `graphql-transport-ws` answers a `payload: null` with 4400 before auth is even asked).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Mapping
from typing import Any

from starlette.websockets import WebSocketDisconnect
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.async_base_view import AsyncBaseHTTPView, AsyncWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema import BaseSchema
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage as LegacyConnectionInitMessage,
)
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UnsetType

from schema.context import GraphQLContext
from schema.direct_frames import DirectSender, direct_sender
from schema.encoded_results import encoded_message
from schema.shared_subscriptions import Listener, SharedSubscriptions, shared_subscriptions

FORBIDDEN = 4403
EVERY_OPERATION = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)
# The id of the operation whose task is running: each handler sets it at the top of an operation's own task,
# where Strawberry asks the schema for its results without saying which operation they are for.
_operation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("operation_id", default=None)


class SharingSchema:
    """The schema as both handlers see it: a `taskProgress` many subscribers ask for the same way runs once
    for all of them (`schema/shared_subscriptions.py`), and its results are written straight to each
    waiting subscriber's socket when the server offers it (`schema/direct_frames.py`)."""

    def __init__(
        self, schema: BaseSchema, shared: SharedSubscriptions, direct: Callable[[str], DirectSender | None]
    ) -> None:
        self._schema = schema
        self._shared = shared
        self._direct = direct

    async def stream(self, query: str | None, **arguments: Any) -> Any:
        results = await self._shared.stream(self._schema.stream, query, **arguments)
        operation_id = _operation_id.get()
        if isinstance(results, Listener) and operation_id is not None:
            results.send_directly = self._direct(operation_id)
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)


class EveryOperationSchema(SharingSchema):
    """The schema as the `graphql-ws` handler sees it: its `subscribe` runs queries and mutations too."""

    async def subscribe(self, query: str | None, **arguments: Any) -> Any:
        return await self.stream(query, **arguments, allowed_operation_types=EVERY_OPERATION)


async def send_encoded(
    websocket: AsyncWebSocketAdapter, view: AsyncBaseHTTPView[Any, Any, Any, Any, Any, Any, Any], message: Any
) -> bool:
    """Send a shared result's message from its one encoding; False when `message` is not one (or the
    adapter is not Starlette's), for the handler to send as usual."""
    socket = getattr(websocket, "ws", None)
    text = encoded_message(message, view.encode_json) if isinstance(message, Mapping) else None
    if socket is None or text is None:
        return False
    try:
        await socket.send_text(text)
    except WebSocketDisconnect as gone:
        raise WebSocketDisconnected from gone
    return True


def connection_sender(
    websocket: AsyncWebSocketAdapter, view: AsyncBaseHTTPView[Any, Any, Any, Any, Any, Any, Any], kind: str
) -> Callable[[str], DirectSender | None]:
    """For an operation id, the direct sender of its `kind` messages on this connection (None when the
    adapter is not Starlette's or the server offers no direct write)."""
    socket = getattr(websocket, "ws", None)
    scope = getattr(socket, "scope", None)

    def sender(operation_id: str) -> DirectSender | None:
        return None if scope is None else direct_sender(scope, kind, operation_id, view.encode_json)

    return sender


class TransportWSHandler(BaseGraphQLTransportWSHandler[GraphQLContext, None]):
    """`graphql-transport-ws`: `payload: null` is a connection_init without credentials (then 4403)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared, direct = shared_subscriptions(self.view), connection_sender(self.websocket, self.view, "next")
        self.schema = SharingSchema(self.schema, shared, direct)  # type: ignore[assignment]

    async def run_operation(self, operation: Operation[GraphQLContext, None]) -> None:
        _operation_id.set(operation.id)  # in the operation's own task, so only its stream sees it
        await super().run_operation(operation)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        if message.get("payload", {}) is None:
            message = {**message, "payload": {}}
        await super().handle_connection_init(message)

    async def send_message(self, message: Any) -> None:
        if not await send_encoded(self.websocket, self.view, message):
            await super().send_message(message)


class LegacyWSHandler(BaseGraphQLWSHandler[GraphQLContext, None]):
    """`graphql-ws` (subscriptions-transport-ws): every operation; a refusal is connection_error, then 4403."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared, direct = shared_subscriptions(self.view), connection_sender(self.websocket, self.view, "data")
        self.schema = EveryOperationSchema(self.schema, shared, direct)  # type: ignore[assignment]

    async def handle_async_results(
        self, operation_id: str, query: str, operation_name: str | None, variables: dict[str, object] | None
    ) -> None:
        _operation_id.set(operation_id)  # in the operation's own task, so only its stream sees it
        await super().handle_async_results(operation_id, query, operation_name, variables)

    async def send_message(self, message: Any) -> None:
        if not await send_encoded(self.websocket, self.view, message):
            await super().send_message(message)

    async def handle_connection_init(self, message: LegacyConnectionInitMessage) -> None:
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            await self.send_message({"type": "connection_error"})
            await self.websocket.close(code=1002, reason="connection_init payload must be an object")
            return
        self.context.connection_params = payload
        try:
            ack_payload = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as rejection:
            await self.send_message({"type": "connection_error", "payload": rejection.payload})
            await self.websocket.close(code=FORBIDDEN, reason="Forbidden")
            return
        if isinstance(ack_payload, UnsetType) or ack_payload is None:
            await self.send_message({"type": "connection_ack"})
        else:
            await self.send_message({"type": "connection_ack", "payload": ack_payload})
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())
