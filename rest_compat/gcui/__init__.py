"""gcui-art/suno-api's REST contract (/api/*) on SunoService: routes, wire shapes, errors, docs."""

from __future__ import annotations

from rest_compat.gcui.routes import gcui_routes

__all__ = ["gcui_routes"]
