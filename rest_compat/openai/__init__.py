"""The OpenAI-compatible door (/v1/*): order a song by chatting, streamed or not, with an optional LLM."""

from __future__ import annotations

from rest_compat.openai.routes import chat_routes

__all__ = ["chat_routes"]
