"""The MCP server on the official SDK: its tools on SunoService, served over Streamable HTTP at /mcp.

Stateless: every POST is served on its own (progress notifications go on that POST's event stream), so
any replica can answer any request. The SDK's session manager needs its `run()` context entered for as
long as the app serves: `McpDoor.running()`, which app.py's lifespan enters.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from rest_compat.caller import base_url as caller_base_url
from rest_compat.mcp_door.arguments import ToolInputError
from rest_compat.mcp_door.auth import RequireSecretToken
from rest_compat.mcp_door.tools import TOOLS, SunoTools
from suno.assets.links import AssetLinks
from suno.config import Settings
from suno.errors import SunoError, UpstreamError
from suno.service import SunoService
from suno.version import VERSION

log = logging.getLogger("sunoql.mcp")

MCP_PATH = "/mcp"
INSTRUCTIONS = (
    "sunoql makes songs and lyrics with Suno. generate_music (or generate_lyrics) returns a task_id at "
    "once; wait_for_task with that task_id returns the finished song with playable audio_url links (or "
    "the lyrics). get_task and list_tasks read tasks without waiting; account_status shows the credits."
)


class McpDoor:
    """The MCP endpoint: the SDK server with sunoql's tools, its session manager, and the route."""

    def __init__(self, service: SunoService, settings: Settings, links: AssetLinks) -> None:
        self.tools = SunoTools(service, links)
        self.server: Server[Any] = Server(
            "sunoql",
            version=VERSION,
            title="sunoql",
            instructions=INSTRUCTIONS,
            on_list_tools=self.list_tools,
            on_call_tool=self.call_tool,
        )
        # No DNS-rebinding check of its own: sunoql's CORS and SECRET_TOKEN settings apply to every door.
        self.sessions = StreamableHTTPSessionManager(self.server, stateless=True)
        self.secret_token = settings.secret_token

    def routes(self) -> list[BaseRoute]:
        return [Route(MCP_PATH, RequireSecretToken(self.sessions.handle_request, self.secret_token))]

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The session manager's task group, for as long as the app serves."""
        async with self.sessions.run():
            yield

    async def list_tools(
        self, _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name=tool.name,
                    title=tool.title,
                    description=tool.description,
                    input_schema=tool.input_schema,
                    annotations=types.ToolAnnotations(
                        title=tool.title, read_only_hint=tool.read_only, destructive_hint=False
                    ),
                )
                for tool in TOOLS
            ]
        )

    async def call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        request = ctx.request
        base_url = caller_base_url(request) if isinstance(request, Request) else ""
        try:
            result = await self.tools.call(
                params.name, params.arguments, base_url, ctx.session.report_progress
            )
        except (ToolInputError, SunoError) as error:
            return error_result(tool_error_message(error))
        except Exception:
            log.exception("MCP tool %r failed", params.name)
            return error_result(f"{params.name} failed inside sunoql; the server log has the details")
        return types.CallToolResult(
            content=[types.TextContent(text=json.dumps(result, ensure_ascii=False, indent=2))],
            structured_content=result,
        )


def tool_error_message(error: Exception) -> str:
    if isinstance(error, UpstreamError) and error.task_id:
        return f"{error} (task {error.task_id} failed)"
    return str(error)


def error_result(message: str) -> types.CallToolResult:
    """A tool error the model sees and can correct, not a protocol error."""
    return types.CallToolResult(content=[types.TextContent(text=message)], is_error=True)


def mcp_door(service: SunoService, settings: Settings, links: AssetLinks) -> McpDoor:
    return McpDoor(service, settings, links)
