"""The MCP tools: their JSON schemas and descriptions (written for a model), and what each does on SunoService."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rest_compat.mcp_door.arguments import Arguments, ToolInputError
from rest_compat.mcp_door.operation_tools import (
    OPERATION_TOOLS,
    checked_request,
    operation_schema,
    persona_view,
    timed_view,
)
from rest_compat.mcp_door.views import account_view, models_view, task_view
from suno.assets.links import AssetLinks
from suno.errors import InvalidRequest
from suno.models import KNOWN_MODELS, Task, TaskAction, TaskFilter, TaskStatus
from suno.pool_credits import PoolCredits
from suno.requests import MusicOrder, lyrics_request, music_request
from suno.service import MAX_PAGE_SIZE, SunoService

# progress, total, message: how a tool reports progress (a no-op when the client asked for none).
Progress = Callable[[float, float | None, str | None], Awaitable[None]]

WAIT_DEFAULT_SECONDS = 300.0
WAIT_MAX_SECONDS = 1800.0
STATUSES = [status.value for status in TaskStatus]
ACTIONS = [action.value for action in TaskAction]


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    read_only: bool


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


_TASK_ID = {"type": "string", "description": "The task_id a generate_music or generate_lyrics call returned."}

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "generate_music",
        "Generate a song",
        "Start making a song with Suno (two clips per song). Two modes: give `description` alone and Suno "
        "writes the lyrics, title and style (description mode); or give your own `lyrics` with `title` and "
        "`tags` (custom mode). For an instrumental set `instrumental: true` and give a description or "
        "`tags`. Returns at once with the task_id and status; a song takes one to a few minutes: call "
        "wait_for_task with the task_id to get the finished song and its playable audio_url links.",
        _object(
            {
                "description": {
                    "type": "string",
                    "maxLength": 3000,
                    "description": "Description mode: what the song should be about and sound like, e.g. "
                    "'an upbeat synth-pop song about a robot learning to dance'. Do not combine with lyrics.",
                },
                "lyrics": {
                    "type": "string",
                    "maxLength": 5000,
                    "description": "Custom mode: the full lyrics to sing; section tags such as [Verse] and "
                    "[Chorus] on their own lines are understood. Do not combine with description.",
                },
                "title": {"type": "string", "maxLength": 200, "description": "Custom mode: the song title."},
                "tags": {
                    "type": "string",
                    "maxLength": 1000,
                    "description": "Custom mode: the style, comma-separated, e.g. 'lo-fi, jazzy, mellow'.",
                },
                "negative_tags": {
                    "type": "string",
                    "maxLength": 1000,
                    "description": "Styles to avoid, comma-separated.",
                },
                "instrumental": {
                    "type": "boolean",
                    "default": False,
                    "description": "True for music without vocals.",
                },
                "vocal_gender": {
                    "type": "string",
                    "enum": ["female", "male"],
                    "description": "Preferred singing voice.",
                },
                "model": {
                    "type": "string",
                    "maxLength": 64,
                    "description": f"Suno model name (see list_models); default {KNOWN_MODELS[0]}.",
                },
                "continue_clip_id": {
                    "type": "string",
                    "description": "Extend an existing clip instead of starting a new song (custom mode); "
                    "needs continue_at.",
                },
                "continue_at": {
                    "type": "number",
                    "minimum": 0,
                    "description": "Seconds into continue_clip_id to continue from.",
                },
                "continue_task_id": {
                    "type": "string",
                    "description": "Optional: the task that made continue_clip_id.",
                },
            }
        ),
        read_only=False,
    ),
    ToolSpec(
        "generate_lyrics",
        "Write lyrics",
        "Ask Suno to write song lyrics from a short prompt. Returns the task_id at once; call "
        "wait_for_task with it to get the lyrics (title and text), usually within seconds. The lyrics can "
        "then be passed to generate_music as `lyrics`.",
        _object(
            {
                "prompt": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 3000,
                    "description": "What the lyrics should be about, e.g. 'a sea shanty about debugging'.",
                }
            },
            ["prompt"],
        ),
        read_only=False,
    ),
    ToolSpec(
        "get_task",
        "Get a task",
        "The current state of a task: status (NOT_START, SUBMITTED, QUEUED, IN_PROGRESS, SUCCESS, FAILURE), "
        "its clips with playable audio_url/image_url/video_url links (or its lyrics), and fail_reason when "
        "it failed. Does not wait; use wait_for_task to wait for the end.",
        _object({"task_id": _TASK_ID}, ["task_id"]),
        read_only=True,
    ),
    ToolSpec(
        "list_tasks",
        "List tasks",
        "The most recent tasks first, optionally only those with some statuses or of one kind. Returns up "
        "to `first` tasks and a `next_cursor` to pass as `cursor` for the next (older) page.",
        _object(
            {
                "status": {
                    "type": "array",
                    "items": {"type": "string", "enum": STATUSES},
                    "description": "Only tasks with one of these statuses.",
                },
                "action": {
                    "type": "string",
                    "enum": ACTIONS,
                    "description": "Only tasks of one kind: songs (MUSIC), lyrics (LYRICS), or an operation "
                    "(EXTEND, COVER, CONCAT, STEMS, REMASTER, ADD_VOCALS, ADD_INSTRUMENTAL, UPLOAD, VIDEO).",
                },
                "first": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": 20,
                    "description": "How many tasks to return.",
                },
                "cursor": {"type": "string", "description": "next_cursor of a previous page."},
            }
        ),
        read_only=True,
    ),
    ToolSpec(
        "wait_for_task",
        "Wait for a task",
        "Wait until a task has finished (SUCCESS or FAILURE) and return it, with playable audio_url links "
        "for a song or the text for lyrics. Sends a progress notification each time the status changes. "
        "If the task is still running after timeout_seconds, returns its current state with done=false: "
        "call wait_for_task again.",
        _object(
            {
                "task_id": _TASK_ID,
                "timeout_seconds": {
                    "type": "number",
                    "minimum": 1,
                    "maximum": WAIT_MAX_SECONDS,
                    "default": WAIT_DEFAULT_SECONDS,
                    "description": "How long to wait at most.",
                },
            },
            ["task_id"],
        ),
        read_only=True,
    ),
    ToolSpec(
        "account_status",
        "Suno account status",
        "The Suno accounts sunoql uses: credits left, monthly limit and usage, whether each is healthy and "
        "can take a new song (and if not, why and until when). Useful before generating many songs.",
        _object(
            {
                "refresh": {
                    "type": "boolean",
                    "default": False,
                    "description": "Read the credits from Suno again instead of the recent cached values.",
                }
            }
        ),
        read_only=True,
    ),
    ToolSpec(
        "list_models",
        "List Suno models",
        "The Suno model names generate_music accepts as `model`, the default, and the accepted aliases.",
        _object({}),
        read_only=True,
    ),
)
TOOLS += tuple(
    ToolSpec(name, title, description, operation_schema(name), read_only)
    for name, (title, description, _, _, read_only) in OPERATION_TOOLS.items()
)
TOOL_NAMES = frozenset(tool.name for tool in TOOLS)
_SPECS = {tool.name: tool for tool in TOOLS}

# The core names fields as the original contract does; these tools name them for a model.
_MUSIC_FIELD_NAMES = {
    "gpt_description_prompt": "description",
    "prompt": "lyrics",
    "mv": "model",
    "make_instrumental": "instrumental",
    "task_id": "continue_task_id",
}
_CONTRACT_NAME = re.compile(r"\b(" + "|".join(_MUSIC_FIELD_NAMES) + r")\b")


def in_tool_names(message: str) -> str:
    """A core validation message about a song, with the fields named as generate_music names them."""
    return _CONTRACT_NAME.sub(lambda found: _MUSIC_FIELD_NAMES[found.group(1)], message)


class SunoTools:
    """Each tool on the service; every call returns a JSON object that carries the task id and links."""

    def __init__(self, service: SunoService, links: AssetLinks) -> None:
        self.service = service
        self.links = links

    async def call(
        self, name: str, values: Mapping[str, Any] | None, base_url: str, progress: Progress
    ) -> dict[str, Any]:
        spec = _SPECS.get(name)
        if spec is None:
            raise ToolInputError(f"there is no tool {name[:60]!r}; the tools are: {', '.join(_SPECS)}")
        arguments = Arguments(name, values, list(spec.input_schema["properties"]))
        if name == "generate_music":
            return await self.generate_music(arguments, base_url)
        if name == "generate_lyrics":
            return await self.generate_lyrics(arguments, base_url)
        if name == "get_task":
            return await self.get_task(arguments, base_url)
        if name == "list_tasks":
            return await self.list_tasks(arguments, base_url)
        if name == "wait_for_task":
            return await self.wait_for_task(arguments, base_url, progress)
        if name == "account_status":
            return await self.account_status(arguments)
        if name in OPERATION_TOOLS:
            return await self.operation(name, arguments, base_url)
        return models_view(await self.service.models(usable_only=True))

    async def operation(self, name: str, arguments: Arguments, base_url: str) -> dict[str, Any]:
        action = OPERATION_TOOLS[name][3]
        operations = self.service.operations
        if action is not None:
            task = await self.service.submit_operation(action, checked_request(action, arguments))
            return await self._shown(task, base_url, next_step="call wait_for_task with this task_id")
        if name == "create_persona":
            persona = await operations.create_persona(
                arguments.text("clip_id", required=True),
                arguments.text("name", required=True),
                arguments.text("description") or None,
                False,
            )
            return persona_view(persona)
        if name == "list_personas":
            return {"personas": [persona_view(p) for p in await operations.list_personas()]}
        clip_id = arguments.text("clip_id", required=True).strip()
        return timed_view(clip_id, await self.service.aligned_lyrics(clip_id))

    async def generate_music(self, arguments: Arguments, base_url: str) -> dict[str, Any]:
        order = MusicOrder(
            prompt=arguments.text("lyrics"),
            gpt_description_prompt=arguments.text("description"),
            title=arguments.text("title"),
            tags=arguments.text("tags"),
            negative_tags=arguments.text("negative_tags"),
            vocal_gender=arguments.text("vocal_gender") or None,
            model=arguments.text("model"),
            make_instrumental=arguments.flag("instrumental"),
            continue_clip_id=arguments.text("continue_clip_id"),
            continue_at=arguments.number("continue_at", low=0, high=float("inf")),
            continue_task_id=arguments.text("continue_task_id"),
        )
        try:
            request = music_request(order)
        except InvalidRequest as error:
            raise ToolInputError(in_tool_names(error.message)) from None
        task = await self.service.submit_music(request)
        return await self._shown(task, base_url, next_step="call wait_for_task with this task_id")

    async def generate_lyrics(self, arguments: Arguments, base_url: str) -> dict[str, Any]:
        task = await self.service.submit_lyrics(lyrics_request(arguments.text("prompt", required=True)))
        return await self._shown(task, base_url, next_step="call wait_for_task with this task_id")

    async def get_task(self, arguments: Arguments, base_url: str) -> dict[str, Any]:
        task = await self.service.get_task(arguments.text("task_id", required=True).strip())
        return await self._shown(task, base_url)

    async def list_tasks(self, arguments: Arguments, base_url: str) -> dict[str, Any]:
        statuses = [TaskStatus(word) for word in arguments.choices("status", STATUSES)]
        actions = [TaskAction(word) for word in arguments.choices("action", ACTIONS)]
        first = arguments.integer("first", low=1, high=MAX_PAGE_SIZE, default=20)
        cursor = arguments.text("cursor").strip() or None
        page = await self.service.list_tasks(TaskFilter(statuses=statuses, actions=actions), cursor, first)
        views = await self.links.task_views(page.tasks, base_url)
        return {"tasks": [task_view(task, views) for task in page.tasks], "next_cursor": page.next_cursor}

    async def wait_for_task(self, arguments: Arguments, base_url: str, progress: Progress) -> dict[str, Any]:
        task_id = arguments.text("task_id", required=True).strip()
        limit = arguments.number(
            "timeout_seconds", low=1, high=WAIT_MAX_SECONDS, default=WAIT_DEFAULT_SECONDS
        )
        assert limit is not None
        latest = await self.service.get_task(task_id)  # TaskNotFound before any waiting
        reported: TaskStatus | None = None
        try:
            async with asyncio.timeout(limit):
                async for snapshot in self.service.watch(task_id):
                    latest = snapshot
                    if snapshot.status is not reported:
                        reported = snapshot.status
                        # Statuses only move forward, so the percentage only grows, as MCP asks.
                        waiting = f" ({snapshot.waiting_reason})" if snapshot.waiting_reason else ""
                        message = f"task {task_id}: {snapshot.status.value}{waiting}"
                        await progress(_percent(snapshot), 100.0, message)
        except TimeoutError:
            return await self._shown(
                latest, base_url, next_step=f"still running after {limit:g} s: call wait_for_task again"
            )
        # A watch ends before the task does only when sunoql shuts down; the task goes on.
        return await self._shown(latest, base_url, next_step="sunoql is restarting: call wait_for_task again")

    async def account_status(self, arguments: Arguments) -> dict[str, Any]:
        refresh = arguments.flag("refresh")
        statuses = await self.service.account()
        if refresh or not PoolCredits.of(statuses).complete:
            statuses = await self.service.account(refresh=True)
        accounts = [account_view(status) for status in statuses]
        return {
            "accounts": accounts,
            "credits_left": PoolCredits.of(statuses).credits_left or 0,
            "can_generate": any(account["usable"] and account["healthy"] for account in accounts),
        }

    async def _shown(self, task: Task, base_url: str, next_step: str | None = None) -> dict[str, Any]:
        views = await self.links.task_views([task], base_url) if task.is_terminal else {}
        shown = task_view(task, views)
        if next_step and not task.is_terminal:
            shown["next_step"] = next_step
        return shown


def _percent(task: Task) -> float:
    return float(task.progress.rstrip("%"))
