"""The OpenAI-compatible routes (/v1/chat/completions, /v1/models): order a song by chatting."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute

from rest_compat.caller import base_url
from rest_compat.json_response import JSONResponse
from rest_compat.openai.context import ChatOrder, task_context
from rest_compat.openai.docs import CHAT_OPERATION, MODEL_OPERATION, MODELS_OPERATION
from rest_compat.openai.errors import ChatError, chat_error_from, song_refusal, unauthorized, unreadable_body
from rest_compat.openai.llm import ask_llm
from rest_compat.openai.stream import song_events, timeout_text, watching
from rest_compat.openai.templates import ChatTemplates, load_chat_templates
from rest_compat.openai.views import (
    ChunkWriter,
    completion,
    estimated_usage,
    listed_models,
    model_object,
    models_list,
    new_completion_id,
)
from rest_compat.openai.wire import ChatRequest, parse_chat_request
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import UnreadableBody, read_body
from rest_compat.song_fields import music_order
from rest_compat.waiting import wait_unless_client_leaves
from suno.assets.links import AssetLinks
from suno.auth import is_authorized
from suno.config import Settings
from suno.errors import InvalidRequest, SunoError
from suno.models import MODEL_ALIASES, MusicRequest, Task, TaskAction
from suno.operations.requests import OperationOrder, operation_request
from suno.requests import music_request
from suno.service import SunoService

log = logging.getLogger("sunoql.chat")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def chat_routes(service: SunoService, settings: Settings, links: AssetLinks) -> list[BaseRoute]:
    """The /v1 routes; loads and trial-renders the templates now, so a broken one fails start-up."""
    door = ChatDoor(service, settings, load_chat_templates(settings.chat_template_dir), links)
    return [
        DocumentedRoute(
            "/v1/chat/completions", door.chat_completions, methods=["POST"], operation=CHAT_OPERATION
        ),
        DocumentedRoute("/v1/models", door.list_models, methods=["GET"], operation=MODELS_OPERATION),
        DocumentedRoute(
            "/v1/models/{model:path}", door.get_model, methods=["GET"], operation=MODEL_OPERATION
        ),
    ]


class ChatDoor:
    def __init__(
        self, service: SunoService, settings: Settings, templates: ChatTemplates, links: AssetLinks
    ) -> None:
        self.service = service
        self.links = links
        self.settings = settings
        self.templates = templates

    async def chat_completions(self, request: Request) -> Response:
        try:
            self._authorize(request)
            chat = parse_chat_request(await read_body(request))
            order = ChatOrder(model=chat.model, llm_used=self.settings.chat_llm_configured)
            fields, reply = await self._song_fields(chat)
            if fields is None:
                return self._text_reply(chat, reply)
            task = await self._submit(fields, chat)
        except UnreadableBody as error:
            return unreadable_body(error).response()
        except ChatError as error:
            return error.response()
        except SunoError as error:
            return chat_error_from(error).response()
        log.info("chat ordered task %s (model %s, llm %s)", task.id, chat.model, order.llm_used)
        if chat.stream:
            writer = ChunkWriter(new_completion_id(), chat.model, chat.include_usage)
            events = song_events(
                self.service,
                task.id,
                self.templates,
                order,
                writer,
                time_out=self.settings.chat_time_out,
                usage=lambda text: estimated_usage(chat.conversation_text(), text),
                links=self.links,
                base_url=base_url(request),
            )
            return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
        return await self._wait_and_reply(request, chat, order, task)

    async def list_models(self, request: Request) -> Response:
        if not self._allowed(request):
            return unauthorized().response()
        return JSONResponse(models_list(listed_models(await self.service.models(usable_only=True))))

    async def get_model(self, request: Request) -> Response:
        if not self._allowed(request):
            return unauthorized().response()
        name = request.path_params["model"]
        if name not in listed_models(await self.service.models(usable_only=True)):
            return ChatError(
                404, f"model {name!r} is not known", param="model", code="model_not_found"
            ).response()
        return JSONResponse(model_object(name))

    def _allowed(self, request: Request) -> bool:
        # CHAT_PUBLIC restores the original's open chat route, whatever SECRET_TOKEN says.
        return self.settings.chat_public or is_authorized(
            request.headers.get("authorization"), self.settings.secret_token
        )

    def _authorize(self, request: Request) -> None:
        if not self._allowed(request):
            raise unauthorized()

    async def _song_fields(self, chat: ChatRequest) -> tuple[dict[str, object] | None, str]:
        """The music fields the conversation asks for, or (None, text) when the LLM just answered."""
        if self.settings.chat_llm_configured:
            answer = await ask_llm(self.settings, chat.messages)
            return answer.song_fields, answer.text
        description = chat.last_user_text().strip()
        if not description:
            raise ChatError(
                400, "describe the song in a user message", param="messages", code="invalid_value"
            )
        # No LLM: the user's words go to Suno as an inspiration-mode description.
        return {"gpt_description_prompt": description}, ""

    async def _submit(self, fields: dict[str, object], chat: ChatRequest) -> Task:
        """A song, or a cover of a clip the conversation names (the tool's cover_clip_id)."""
        cover_of = fields.get("cover_clip_id")
        if not isinstance(cover_of, str) or not cover_of:
            return await self.service.submit_music(self._song_request(fields, chat))
        order = OperationOrder(
            clip_id=cover_of,
            prompt=str(fields.get("prompt") or "") or None,
            tags=str(fields.get("tags") or "") or None,
            title=str(fields.get("title") or "") or None,
            model=chat.model if chat.model.startswith("chirp-") or chat.model in MODEL_ALIASES else None,
        )
        try:
            request = operation_request(TaskAction.COVER, order)
        except InvalidRequest as error:
            raise song_refusal(error, llm_used=self.settings.chat_llm_configured) from None
        return await self.service.submit_operation(TaskAction.COVER, request)

    def _song_request(self, fields: dict[str, object], chat: ChatRequest) -> MusicRequest:
        """The core's request; a rule it breaks is worded for the chat user, who never saw our field names."""
        try:
            return music_request(music_order({**fields, "mv": chat.model if chat.model_given else ""}))
        except InvalidRequest as error:
            raise song_refusal(error, llm_used=self.settings.chat_llm_configured) from None

    def _text_reply(self, chat: ChatRequest, text: str) -> Response:
        usage = estimated_usage(chat.conversation_text(), text)
        completion_id = new_completion_id()
        if not chat.stream:
            return JSONResponse(completion(completion_id, chat.model, text, usage))
        writer = ChunkWriter(completion_id, chat.model, chat.include_usage)
        events = [writer.role(), writer.content(text), writer.finish()]
        if chat.include_usage:
            events.append(writer.usage(usage))
        events.append(writer.done())
        return StreamingResponse(iter(events), media_type="text/event-stream", headers=SSE_HEADERS)

    async def _wait_and_reply(
        self, request: Request, chat: ChatRequest, order: ChatOrder, task: Task
    ) -> Response:
        snapshots: list[Task] = [task]
        try:
            outcome = await wait_unless_client_leaves(
                request, _follow_to_the_end(self.service, task.id, snapshots), self.settings.chat_time_out
            )
        except SunoError as error:
            return chat_error_from(error).response()
        if outcome.client_gone:
            # Nobody reads the answer any more; the song goes on and stays fetchable.
            return Response(status_code=499)
        if not outcome.finished:
            return ChatError(
                504,
                timeout_text(task.id, self.settings.chat_time_out).strip().replace("`", "'"),
                type="timeout_error",
                code="task_timeout",
                extra={"task_id": task.id, "status": snapshots[-1].status.value},
            ).response()
        # Streamed, this follows the earlier progress text; alone, it needs no leading blank lines.
        views = await self.links.task_views([snapshots[-1]], base_url(request))
        text = self.templates.render("chat_resp", task_context(snapshots[-1], order, views=views)).lstrip(
            "\n"
        )
        usage = estimated_usage(chat.conversation_text(), text)
        return JSONResponse(completion(new_completion_id(), chat.model, text, usage))


async def _follow_to_the_end(service: SunoService, task_id: str, snapshots: list[Task]) -> None:
    async with watching(service, task_id) as changes:
        async for snapshot in changes:
            snapshots.append(snapshot)
