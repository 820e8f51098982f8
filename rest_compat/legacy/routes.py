"""The original project's REST routes (/suno/*) on SunoService; their OpenAPI operations are in `docs`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from rest_compat.caller import base_url
from rest_compat.clip_lists import clip_ids, find_clips
from rest_compat.failures import parse
from rest_compat.json_response import JSONResponse
from rest_compat.legacy import docs
from rest_compat.legacy.errors import UNAUTHORIZED, Envelope, Failure, RestFailure, bad_request, failure_for
from rest_compat.legacy.operations import operation_routes
from rest_compat.legacy.views import account_data, account_entry, task_data, task_item
from rest_compat.legacy.wire import ChallengeSolution, FetchMany, LyricsSubmission, MusicSubmission
from rest_compat.openapi import DocumentedRoute
from rest_compat.request_body import read_json_object
from rest_compat.song_fields import lyrics_prompt, music_order, native_operation
from rest_compat.waiting import wait_unless_client_leaves
from suno.assets.links import AssetLinks, with_playable_links
from suno.auth import is_authorized
from suno.config import Settings
from suno.models import KNOWN_MODELS, MODEL_ALIASES, Task, TaskAction, TaskStatus
from suno.operations.requests import OperationOrder, operation_request
from suno.requests import lyrics_request, music_request
from suno.service import SunoService
from suno.webhooks.policy import Webhook

log = logging.getLogger("sunoql.rest")

# Shown to a client whose body is not JSON.
BODY_EXAMPLE = '{"prompt": "…"}'
CHALLENGE_EXAMPLE = '{"account": "default", "token": "…", "provider": 1}'
# As the original: the lyrics route answers once the lyrics exist, waiting at most this long.
LYRICS_WAIT_SECONDS = 120.0
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Handler = Callable[[Request], Awaitable[Any]]


def legacy_routes(service: SunoService, settings: Settings, links: AssetLinks) -> list[BaseRoute]:
    door = LegacyDoor(service, settings, links)
    routes: list[BaseRoute] = [
        door.route("/suno/submit/music", door.submit_music, "POST", docs.SUBMIT_MUSIC),
        # The relay's routes in Suno's own shapes (no envelope on success).
        door.route("/suno/generate", door.generate, "POST", docs.GENERATE, enveloped=False),
        door.route("/suno/feed/{ids}", door.feed, "GET", docs.FEED, enveloped=False),
        door.route("/suno/submit/lyrics", door.submit_lyrics, "POST", docs.SUBMIT_LYRICS),
        *operation_routes(door),
        Route("/suno/submit/{action}", door.guarded(door.submit_other), methods=["POST"]),
        door.route("/suno/fetch/{task_id}", door.fetch_one, "GET", docs.FETCH_ONE),
        door.route("/suno/fetch", door.fetch_many, "POST", docs.FETCH_MANY),
        door.route("/suno/account", door.account, "GET", docs.ACCOUNT),
        door.route("/suno/account/challenge", door.solve_challenge, "POST", docs.CHALLENGE),
        door.route("/suno/models", door.models, "GET", docs.MODELS),
    ]
    door.known_routes = list(routes)
    routes.append(Route("/suno/{path:path}", door.no_such_route, methods=ALL_METHODS))
    return routes


class LegacyDoor:
    def __init__(self, service: SunoService, settings: Settings, links: AssetLinks) -> None:
        self.service = service
        self.settings = settings
        self.links = links
        self.envelope = Envelope(settings.rest_envelope)
        self.known_routes: list[BaseRoute] = []

    def route(
        self, path: str, handler: Handler, method: str, operation: Any, *, enveloped: bool = True
    ) -> DocumentedRoute:
        endpoint = self.guarded(handler, enveloped=enveloped)
        return DocumentedRoute(path, endpoint, methods=[method], operation=operation)

    def guarded(
        self, handler: Handler, *, enveloped: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        """SECRET_TOKEN first, then the handler; whatever it raises becomes an error in the envelope.
        Not `enveloped`: a success is the handler's value as it is."""

        async def endpoint(request: Request) -> Response:
            if not is_authorized(request.headers.get("authorization"), self.settings.secret_token):
                return self.envelope.fail(UNAUTHORIZED)
            try:
                data = await handler(request)
            except Exception as error:
                return self.envelope.fail(failure_for(error))
            return self.envelope.ok(data) if enveloped else JSONResponse(data)

        return endpoint

    # Submitting

    async def submit_music(self, request: Request) -> str:
        return (await self._music_task(request)).id

    async def generate(self, request: Request) -> dict[str, Any]:
        """Suno's own generate reply: the task id (fetch it on /suno/fetch) and the clips."""
        task = await self._music_task(request)
        return {
            "id": task.id,
            "clips": task_data(task, await self.links.task_views([task], base_url(request))),
        }

    async def _music_task(self, request: Request) -> Task:
        fields = await read_fields(request)
        wire = parse(MusicSubmission, fields)
        # new-api sends both names for the same switch.
        fields["make_instrumental"] = bool(wire.make_instrumental or wire.instrumental)
        if not wire.mv and wire.model and _looks_like_suno_model(wire.model):
            fields["mv"] = wire.model
        native = native_operation(fields)
        if native is not None:
            # A relay client's native body (`task: "cover"` …): the same operation as /suno/submit/cover.
            action = TaskAction(native[0])
            return await self.service.submit_operation(
                action, operation_request(action, OperationOrder(**native[1]))
            )
        hook = callback(wire.callback_url)
        return await self.service.submit_music(music_request(music_order(fields)), hook)

    async def submit_lyrics(self, request: Request) -> str:
        fields = await read_fields(request)
        wire = parse(LyricsSubmission, fields)
        task = await self.service.submit_lyrics(
            lyrics_request(lyrics_prompt(fields)), callback(wire.callback_url)
        )
        # As the original: answer once the lyrics exist (or after LYRICS_WAIT_SECONDS, or when the
        # client leaves; the task goes on either way and can be fetched like a song).
        outcome = await wait_unless_client_leaves(request, self._lyrics_outcome(task.id), LYRICS_WAIT_SECONDS)
        if outcome.finished and outcome.result is TaskStatus.FAILURE:
            current = await self.service.get_task(task.id)
            raise RestFailure(
                Failure(
                    502,
                    f"Suno could not write the lyrics: {current.fail_reason} (task {task.id})",
                    "upstream_error",
                )
            )
        if not outcome.finished and not outcome.client_gone:
            log.warning(
                "lyrics task %s not done after %.0f s; answering with its id", task.id, LYRICS_WAIT_SECONDS
            )
        return task.id

    async def _lyrics_outcome(self, task_id: str) -> TaskStatus | None:
        async for snapshot in self.service.watch(task_id):
            if snapshot.is_terminal:
                return snapshot.status
        return None

    async def submit_other(self, request: Request) -> str:
        action = str(request.path_params["action"])
        if action.lower() == "music":
            return await self.submit_music(request)
        if action.lower() == "lyrics":
            return await self.submit_lyrics(request)
        raise bad_request(f"invalid action {action[:40]!r}: use /suno/submit/music or /suno/submit/lyrics")

    # Reading

    async def fetch_one(self, request: Request) -> Any:
        task = await self.service.get_task(str(request.path_params["task_id"]))
        return task_data(task, await self.links.task_views([task], base_url(request)))

    async def fetch_many(self, request: Request) -> list[dict[str, Any]]:
        wire = parse(FetchMany, await read_fields(request))
        asked = list(dict.fromkeys(wire.ids))
        tasks = await self.service.get_tasks(asked) if asked else []
        wanted = set(asked)
        # A relay crashes on an id it did not ask for: filter even though the store should never add one.
        views = await self.links.task_views(tasks, base_url(request))
        return [task_item(task, views) for task in tasks if task.id in wanted]

    async def feed(self, request: Request) -> list[dict[str, Any]]:
        """Suno's feed: the clips among the comma-separated ids, in the order asked."""
        ids = clip_ids(str(request.path_params["ids"]))
        found = await find_clips(self.service, self.links, ids, base_url(request))
        return [with_playable_links(clip.to_upstream(), views) for clip, views in found]

    async def account(self, request: Request) -> dict[str, Any]:
        refresh = _flag(request, "refresh")
        statuses = await self.service.account()
        if refresh or any(status.credits_left is None for status in statuses):
            statuses = await self.service.account(refresh=True)
        return account_data(
            statuses, self.service.account_secrets(), show_secrets=self.settings.account_show_secrets
        )

    async def solve_challenge(self, request: Request) -> dict[str, Any]:
        wire = parse(ChallengeSolution, await read_json_object(request, example=CHALLENGE_EXAMPLE))
        status = await self.service.solve_challenge(wire.account, wire.token, wire.provider)
        return account_entry(
            status, self.service.account_secrets(), show_secrets=self.settings.account_show_secrets
        )

    async def models(self, request: Request) -> list[dict[str, Any]]:
        models = await self.service.models(refresh=_flag(request, "refresh"))
        return [
            {
                "account": model.account,
                "key": model.key,
                "name": model.name,
                "aliases": list(model.aliases),
                "default": model.is_default,
                "usable": model.usable,
                "max_lengths": dict(model.max_lengths),
                "features": list(model.features),
            }
            for model in models
        ]

    async def no_such_route(self, request: Request) -> JSONResponse:
        allowed = sorted(
            {
                method
                for route in self.known_routes
                if isinstance(route, Route) and route.matches(request.scope)[0] is Match.PARTIAL
                for method in route.methods or ()
                if method != "HEAD"
            }
        )
        where = f"{request.method} {request.url.path}"
        if allowed:
            failure = Failure(
                405,
                f"{where} is not a route: use {' or '.join(allowed)}",
                headers={"Allow": ", ".join(allowed)},
            )
        else:
            failure = Failure(404, f"{where} is not a route; see /swagger/index.html", "not_found")
        return self.envelope.fail(failure)


def _flag(request: Request, name: str) -> bool:
    values = request.query_params.getlist(name)
    if not values:
        return False
    if len(values) == 1 and values[0].lower() in ("true", "1", "false", "0"):
        return values[0].lower() in ("true", "1")
    raise bad_request(f"{name} must be true or false, given once")


def _looks_like_suno_model(name: str) -> bool:
    # new-api's own billing names (suno_music) are no Suno model.
    return name in KNOWN_MODELS or name in MODEL_ALIASES or name.startswith("chirp-")


async def read_fields(request: Request) -> dict[str, Any]:
    return await read_json_object(request, example=BODY_EXAMPLE)


def callback(url: str | None) -> Webhook | None:
    """The original REST body's callback_url as the task's webhook (sunoql's own body shape)."""
    return Webhook(url, field="callback_url") if url and url.strip() else None
