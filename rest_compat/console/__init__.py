"""The web console at `/`: a plain HTML/CSS/JS page on sunoql's own GraphQL API, served from this package."""

from __future__ import annotations

from rest_compat.console.routes import console_routes

__all__ = ["console_routes"]
