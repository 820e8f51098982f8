"""GET /assets/clips/{clip_id}/{file}: the playable copy of a clip, with Range, or why it is not there yet.

Auth as the other doors (SECRET_TOKEN bearer), or a short-lived signed URL so an `<audio>` tag plays
without a header. 202 + Retry-After while mirroring, 409 with the reason when Suno will not give the
media (`not_unlocked`), 404 for an unknown clip.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import BaseRoute, Route

from suno.assets.links import LRC_FILE
from suno.assets.model import Asset, AssetKind, AssetState, kind_from_file_name
from suno.assets.runtime import Assets
from suno.assets.s3 import S3Storage
from suno.auth import is_authorized
from suno.config import Settings
from suno.models import TaskAction, TaskStatus
from suno.operations.timed_lyrics import aligned_lyrics

RETRY_AFTER_SECONDS = 5
# How long a request waits for a mirror in progress before answering 202 (unless it sent
# `Prefer: respond-async`, RFC 7240: then 202 at once).
PENDING_WAIT_SECONDS = 10.0
# The bytes under one asset URL never change (a new copy gets a new row): caches may keep them.
IMMUTABLE = "private, max-age=86400, immutable"
MESSAGES = {
    "not_unlocked": "Suno has not unlocked this song for download. Download it once on suno.com (it uses "
    "the plan's download allowance), or let the operator enable ASSET_AUTO_UNLOCK.",
    "allowance_reserve": "Unlocking this song would go below the download allowance the operator keeps "
    "in reserve (ASSET_DOWNLOAD_RESERVE).",
    "no_source": "Suno lists no playable source for this clip.",
}


def asset_routes(assets: Assets, settings: Settings) -> list[BaseRoute]:
    """The route that serves the playable copies (signed links, or the SECRET_TOKEN)."""
    door = AssetDoor(assets, settings)
    return [Route("/assets/clips/{clip_id}/{file_name}", door.serve, methods=["GET", "HEAD"])]


def _prefers_async(request: Request) -> bool:
    return "respond-async" in request.headers.get("prefer", "").lower()


def _status(state: str, reason: str, status_code: int, message: str, **headers: str) -> JSONResponse:
    body = {"state": state, "reason": reason, "message": message}
    return JSONResponse(body, status_code, headers={"Cache-Control": "no-store", **headers})


class AssetDoor:
    def __init__(self, assets: Assets, settings: Settings) -> None:
        self.assets = assets
        self.settings = settings

    async def serve(self, request: Request) -> Response:
        signed = self.assets.catalog.signer.verify(request.url.path, request.query_params)
        if not signed and not is_authorized(request.headers.get("authorization"), self.settings.secret_token):
            return _status(
                "",
                "unauthorized",
                401,
                "Send Authorization: Bearer <SECRET_TOKEN>, or use a fresh signed link.",
            )
        clip_id = request.path_params["clip_id"]
        if request.path_params["file_name"] == LRC_FILE:
            return await self._lyrics(clip_id)
        kind = kind_from_file_name(request.path_params["file_name"])
        if kind is None:
            return _status("", "not_found", 404, "No such asset: use audio, image, video or lossless.")
        asset = await self.assets.store.get(clip_id, kind)
        if asset is None:
            refusal = await self._not_mirrored(clip_id, kind)
            if refusal is not None:
                return refusal
            asset = await self.assets.store.get(clip_id, kind)
        if asset is not None and asset.state is AssetState.PENDING and not _prefers_async(request):
            asset = await self._wait_while_pending(clip_id, kind)
        if asset is not None and asset.state is AssetState.READY:
            return await self._send(request, asset)
        return self._explain(asset or Asset(clip_id, kind, "", None))

    async def _lyrics(self, clip_id: str) -> Response:
        """The clip's timed lyrics as LRC, from its finished ALIGNED_LYRICS task (made by alignedLyrics)."""
        for task in await self.assets.tasks.by_source(clip_id, TaskAction.ALIGNED_LYRICS):
            words = (task.result or {}).get("words")
            if task.status is TaskStatus.SUCCESS and isinstance(words, list):
                text = aligned_lyrics(clip_id, words).lrc
                return PlainTextResponse(
                    text, media_type="application/x-lrc; charset=utf-8", headers={"Cache-Control": IMMUTABLE}
                )
        return _status(
            "",
            "not_found",
            404,
            "No timed lyrics for this clip yet: ask for them first (alignedLyrics, GET /suno/lyrics/aligned/{clip_id}).",
        )

    async def _wait_while_pending(self, clip_id: str, kind: AssetKind) -> Asset | None:
        """A player cannot act on a 202: give a mirror in progress a few seconds to finish first."""
        self.assets.mirror.wake()
        deadline = time.monotonic() + PENDING_WAIT_SECONDS
        while True:
            asset = await self.assets.store.get(clip_id, kind)
            if asset is None or asset.state is not AssetState.PENDING or time.monotonic() >= deadline:
                return asset
            await asyncio.sleep(0.1)

    async def _not_mirrored(self, clip_id: str, kind: AssetKind) -> Response | None:
        """Why a clip without an asset row gets nothing (404, 409, 202), or None once a row is asked for."""
        task = await self.assets.tasks.find_by_clip(clip_id)
        if task is None or not task.action.makes_clips or clip_id not in {c.id for c in task.clips}:
            return _status("", "not_found", 404, f"No clip {clip_id!r} here.")
        if task.status is TaskStatus.FAILURE:
            return _status("unavailable", "no_source", 409, "The song failed: it has no audio.")
        if task.status is TaskStatus.SUCCESS:
            # Video and WAV are made on request; a missing audio row means the mirror has not seen it yet.
            await self.assets.mirror.request(task, clip_id, kind)
            return None
        return _status(
            "pending",
            "",
            202,
            "The playable copy is being prepared.",
            **{"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    def _explain(self, asset: Asset) -> Response:
        reason = asset.reason.value
        if asset.state is AssetState.PENDING:
            return _status(
                "pending",
                reason,
                202,
                "The playable copy is being prepared.",
                **{"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        if asset.state is AssetState.UNAVAILABLE:
            return _status("unavailable", reason, 409, MESSAGES.get(reason, asset.detail))
        if asset.state is AssetState.EXPIRED:
            return _status("expired", reason, 410, "The copy was removed by the retention limits.")
        return _status(
            "failed", reason, 502, f"Mirroring failed after {asset.attempts} attempts: {asset.detail}"
        )

    async def _send(self, request: Request, asset: Asset) -> Response:
        assert asset.storage_key is not None
        stored = await self.assets.storage.locate(asset.storage_key, self.settings.asset_url_ttl)
        if stored is None:
            # The file went missing (removed by hand, a lost volume): mirror it again.
            await self.assets.store.update(
                asset.clip_id, asset.kind, state=AssetState.PENDING, next_attempt_at=None
            )
            self.assets.mirror.wake()
            return self._explain(Asset(asset.clip_id, asset.kind, asset.task_id, asset.account))
        if stored.redirect_url is not None:
            return RedirectResponse(stored.redirect_url, 307, headers={"Cache-Control": "no-store"})
        if stored.proxy_key is not None and isinstance(self.assets.storage, S3Storage):
            return await self._proxy(request, self.assets.storage, stored.proxy_key, asset)
        assert stored.path is not None
        return FileResponse(
            stored.path,
            media_type=asset.content_type,
            headers={"ETag": f'"{asset.sha256}"', "Cache-Control": IMMUTABLE},
            content_disposition_type="inline",
            filename=asset.file_name,
        )

    async def _proxy(self, request: Request, storage: S3Storage, key: str, asset: Asset) -> Response:
        """Stream an S3 object through sunoql; S3 answers the Range (206, 416) itself."""
        status, headers, body = await storage.open_range(key, request.headers.get("range"))

        async def chunks() -> AsyncIterator[bytes]:
            async with body as stream:
                while chunk := await stream.read(256 * 1024):
                    yield chunk

        headers.update({"ETag": f'"{asset.sha256}"', "Cache-Control": IMMUTABLE})
        if request.method == "HEAD":
            body.close()
            return Response(status_code=status, headers=headers)
        return StreamingResponse(chunks(), status_code=status, headers=headers)
