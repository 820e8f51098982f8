"""The /graphql route: HTTP GET/POST, subscriptions over WebSocket, SSE and multipart HTTP, GraphiQL, with auth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from schema.build import build_schema
from schema.context import GraphQLContext, new_context
from schema.graphiql import graphiql_asset_routes, graphiql_response
from schema.websocket import LegacyWSHandler, TransportWSHandler
from suno.assets.links import AssetLinks
from suno.auth import is_authorized
from suno.config import Settings
from suno.service import SunoService

# One connection may follow many tasks (a page of them); the cap only bounds a runaway client.
MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000
# WebSocket for most clients; SSE (graphql-sse, distinct connections) and multipart HTTP where a proxy or
# browser blocks WebSockets. The HTTP ones are picked by the request's Accept header.
SUBSCRIPTION_PROTOCOLS = (
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    GRAPHQL_SSE_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
SUBSCRIPTION_OVER_HTTP = (
    "a subscription needs a streaming transport: a WebSocket to /graphql (graphql-transport-ws or graphql-ws),"
    " SSE (POST with 'Accept: text/event-stream'), or multipart HTTP"
    " (POST with 'Accept: multipart/mixed; subscriptionSpec=\"1.0\"')"
)
BATCH_REFUSED = "batched operations are not supported: send one operation per request (or use a WebSocket)"
UNAUTHENTICATED_MESSAGE = "missing or wrong Authorization: send 'Bearer <SECRET_TOKEN>'"


class SunoGraphQL(GraphQL[GraphQLContext, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, service: SunoService, settings: Settings, links: AssetLinks) -> None:
        super().__init__(
            build_schema(),
            graphql_ide="graphiql",
            keep_alive=True,
            keep_alive_interval=15,
            subscription_protocols=SUBSCRIPTION_PROTOCOLS,
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
            # uploadAudio's file (GraphQL multipart request spec); every request still needs the token.
            multipart_uploads_enabled=True,
        )
        self.service = service
        self.settings = settings
        self.links = links

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        if not _is_ide_request(request) and not self.is_authorized(request.headers.get("authorization")):
            await unauthenticated_response()(scope, receive, send)
            return
        try:
            response = await self.run(request)
        except HTTPException as error:
            # Strawberry answers these in plain text; every GraphQL error here carries extensions.code.
            response = request_error_response(error.reason, error.status_code)
        await response(scope, receive, send)

    def is_authorized(self, authorization: object) -> bool:
        return is_authorized(authorization, self.settings.secret_token)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> GraphQLContext:
        return new_context(self.service, self.settings, self.links, request, response)

    async def on_ws_connect(self, context: GraphQLContext) -> dict[str, object] | None:
        params: dict[str, Any] = context.connection_params or {}
        authorization = params.get("Authorization", params.get("authorization"))
        if authorization is None and isinstance(params.get("authToken"), str):
            authorization = f"Bearer {params['authToken']}"
        if not self.is_authorized(authorization):
            # graphql-transport-ws closes with 4403 Forbidden; graphql-ws sends connection_error.
            raise ConnectionRejectionError(
                {"message": UNAUTHENTICATED_MESSAGE, "extensions": {"code": "UNAUTHENTICATED"}}
            )
        return None

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: GraphQLContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Only a request without a streaming Accept comes here (the view streams the others with
        # schema.stream), so a subscription here would have nowhere to stream: refused with the ways that work.
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.SUBSCRIPTION:
                raise HTTPException(400, SUBSCRIPTION_OVER_HTTP) from error
            raise HTTPException(400, error.as_http_error_reason(request_adapter.method)) from error
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_response()


def _is_ide_request(request: Request) -> bool:
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def request_error_response(reason: str, status_code: int) -> JSONResponse:
    """A request GraphQL cannot even read (bad JSON, a batch, a form post, a wrong method), in GraphQL's shape."""
    message = BATCH_REFUSED if reason == "Batching is not enabled" else reason
    code = "METHOD_NOT_ALLOWED" if status_code == 405 else "BAD_REQUEST"
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status_code
    )


def unauthenticated_response() -> JSONResponse:
    return JSONResponse(
        {
            "data": None,
            "errors": [{"message": UNAUTHENTICATED_MESSAGE, "extensions": {"code": "UNAUTHENTICATED"}}],
        },
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="sunoql"'},
    )


def graphql_routes(service: SunoService, settings: Settings, links: AssetLinks) -> list[BaseRoute]:
    view = SunoGraphQL(service, settings, links)
    return [
        # Every method reaches the view, so a wrong one is refused in GraphQL's shape, not Starlette's text.
        Route("/graphql", endpoint=view, methods=["GET", "POST", "PUT", "PATCH", "DELETE"], name="graphql"),
        WebSocketRoute("/graphql", endpoint=view, name="graphql-ws"),
        *graphiql_asset_routes(),
    ]
