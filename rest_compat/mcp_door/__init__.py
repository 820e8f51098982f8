"""The MCP door (/mcp): sunoql's tools for AI agents, on the official Model Context Protocol SDK.

Not named `mcp`: a package of ours by that name would shadow the SDK.
"""

from __future__ import annotations

from rest_compat.mcp_door.server import McpDoor, mcp_door

__all__ = ["McpDoor", "mcp_door"]
