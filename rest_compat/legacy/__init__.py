"""The original project's REST contract (/suno/*) on SunoService: routes, wire shapes, envelope, docs."""

from __future__ import annotations

from rest_compat.legacy.routes import legacy_routes

__all__ = ["legacy_routes"]
