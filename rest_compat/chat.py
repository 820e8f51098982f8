"""The OpenAI-compatible routes (/v1/chat/completions, /v1/models)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from suno.config import Settings
from suno.service import SunoService


def chat_routes(service: SunoService, settings: Settings) -> list[BaseRoute]:
    # Replaced by the front door's own issue; until then this door serves nothing.
    return []
