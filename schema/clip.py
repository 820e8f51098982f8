"""GraphQL Clip and ClipAsset: a clip as Suno reports it, its links as every door shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from schema.context import Info
from suno import models
from suno.assets.links import ClipLinks, clip_links
from suno.assets.views import AssetView


@strawberry.type(description="sunoql's playable copy of one kind of a clip's media.")
class ClipAsset:
    kind: str = strawberry.field(description="audio, image, video or wav.")
    state: str = strawberry.field(
        description="pending (being mirrored), ready, failed, unavailable (Suno will not give it) or expired."
    )
    reason: str | None = strawberry.field(
        description="Why it is not ready, e.g. not_unlocked: the clip needs unlocking on Suno (see the README, 'Playable audio')."
    )
    url: str = strawberry.field(
        description="A signed link that plays without an Authorization header until it expires."
    )
    content_type: str | None = strawberry.field(description="The real media type, once mirrored.")
    size: int | None = strawberry.field(description="Bytes, once mirrored.")

    @classmethod
    def from_view(cls, view: AssetView) -> ClipAsset:
        return cls(
            kind=view.kind.value,
            state=view.state.value,
            reason=view.reason or None,
            url=view.url,
            content_type=view.content_type,
            size=view.size,
        )


@strawberry.type(description="One clip (a song variation) as Suno reports it, with sunoql's playable links.")
class Clip:
    id: strawberry.ID = strawberry.field(description="Suno's clip id.")
    title: str = strawberry.field(description="The title (empty until Suno writes one in inspiration mode).")
    status: str = strawberry.field(
        description="Suno's own clip status: submitted, queued, streaming, complete or error."
    )

    # Resolvers are methods declared before their field (`resolver=`), so fields keep their place.
    def _audio_url(self, info: Info) -> str | None:
        return self.unread_links(info).audio_url

    async def _video_url(self, info: Info) -> str | None:
        return (await self.links(info)).video_url

    def _image_url(self, info: Info) -> str | None:
        return self.unread_links(info).image_url

    def _image_large_url(self, info: Info) -> str | None:
        return self.unread_links(info).image_large_url

    audio_url: str | None = strawberry.field(
        resolver=_audio_url,
        description="The audio to play: sunoql's copy once the song is finished (the link REST and chat "
        "show, pending until mirrored), before that Suno's own link (streams while IN_PROGRESS).",
    )
    video_url: str | None = strawberry.field(
        resolver=_video_url,
        description="The video: sunoql's copy when one is mirrored, otherwise Suno's own link.",
    )
    image_url: str | None = strawberry.field(
        resolver=_image_url,
        description="The cover image: sunoql's copy once the song is finished, before that Suno's own link.",
    )
    image_large_url: str | None = strawberry.field(
        resolver=_image_large_url,
        description="The cover image, large: sunoql's copy of the cover once the song is finished, "
        "before that Suno's own link.",
    )
    upstream_audio_url: str | None = strawberry.field(
        description="Suno's own audio link, as received; since late 2026 often a placeholder answering 403."
    )
    upstream_video_url: str | None = strawberry.field(description="Suno's own video link, as received.")
    upstream_image_url: str | None = strawberry.field(description="Suno's own cover link, as received.")
    upstream_image_large_url: str | None = strawberry.field(
        description="Suno's own large cover link, as received."
    )
    duration: float | None = strawberry.field(description="Length in seconds, once known.")
    tags: str | None = strawberry.field(description="The style tags Suno used.")
    prompt: str | None = strawberry.field(
        description="The lyrics Suno sang (written by Suno in inspiration mode)."
    )
    model_name: str | None = strawberry.field(description="The model that made the clip, e.g. chirp-fenix.")
    major_model_version: str | None = strawberry.field(description="Suno's major model version, e.g. v5.")
    created_at: datetime | None = strawberry.field(description="When Suno created the clip.")
    error_type: str | None = strawberry.field(description="Suno's error kind when status is error.")
    error_message: str | None = strawberry.field(description="Suno's error message when status is error.")
    raw: JSON = strawberry.field(description="Suno's clip object as received, unknown fields included.")

    async def _assets(self, info: Info) -> list[ClipAsset]:
        return [ClipAsset.from_view(view) for view in await self.views(info)]

    assets: list[ClipAsset] = strawberry.field(
        resolver=_assets,
        description="Playable copies served by sunoql (audio, cover…) once the song is finished, "
        "with their state; audioUrl and imageUrl are the same links.",
    )

    async def _stems(self, info: Info) -> list[Clip]:
        tasks = await info.context.service.store.by_source(self.source.id, models.TaskAction.STEMS)
        return [
            Clip.from_domain(clip, task)
            for task in tasks
            if task.status.value == "SUCCESS"
            for clip in task.clips
        ]

    stems: list[Clip] = strawberry.field(
        resolver=_stems,
        description="The stems separated from this clip (separateStems), newest separation first, each with "
        "playable links.",
    )
    # The links are decided from the domain clip and the task snapshot it came with: a finished song's
    # assets show as pending before the mirror's rows exist.
    source: strawberry.Private[models.Clip]
    task: strawberry.Private[models.Task | None]
    # Shared by the clips of one task snapshot in one result, so their links are signed once.
    rowless: strawberry.Private[RowlessViews]

    async def views(self, info: Info) -> list[AssetView]:
        # Through the context's loader: the clips of a whole page of tasks make one asset query.
        loader = info.context.asset_loader
        return [] if loader is None else await loader.load((self.task, self.source.id))

    async def links(self, info: Info) -> ClipLinks:
        return clip_links(self.source, await self.views(info))

    def unread_links(self, info: Info) -> ClipLinks:
        """`links` without an asset query: right for the audio and the covers (ROWLESS_FIELDS) only."""
        return self.rowless.links_of(self.source, info)

    @classmethod
    def from_domain(
        cls, clip: models.Clip, task: models.Task | None = None, rowless: RowlessViews | None = None
    ) -> Clip:
        """`rowless`: shared with the task's other clips in the same result; its own when not given."""
        return cls(
            id=strawberry.ID(clip.id),
            title=clip.title,
            status=clip.status,
            upstream_audio_url=clip.audio_url,
            upstream_video_url=clip.video_url,
            upstream_image_url=clip.image_url,
            upstream_image_large_url=clip.image_large_url,
            duration=clip.duration,
            tags=clip.tags,
            prompt=clip.prompt,
            model_name=clip.model_name,
            major_model_version=clip.major_model_version,
            created_at=suno_time(clip.created_at),
            error_type=clip.error_type,
            error_message=clip.error_message,
            raw=cast(JSON, clip.to_upstream()),
            source=clip,
            task=task,
            rowless=RowlessViews(task) if rowless is None else rowless,
        )


class RowlessViews:
    """The rowless asset views of one task snapshot (`AssetLinks.rowless_task_views`), made once when a
    clip's audioUrl or imageUrl is first asked, and each clip's links from them: signing the links is
    most of what a clip's fields cost, and every such field of every clip asked for all of them."""

    __slots__ = ("_links", "_task", "_views")

    def __init__(self, task: models.Task | None) -> None:
        self._task = task
        self._views: dict[str, list[AssetView]] | None = None
        self._links: dict[str, ClipLinks] = {}

    def links_of(self, clip: models.Clip, info: Info) -> ClipLinks:
        links = self._links.get(clip.id)
        if links is None:
            links = self._links[clip.id] = clip_links(clip, self._views_of(clip.id, info))
        return links

    def _views_of(self, clip_id: str, info: Info) -> list[AssetView]:
        # Without an asset loader the context shows no copies at all, as `Clip.views` does.
        if self._task is None or info.context.asset_loader is None:
            return []
        if self._views is None:
            self._views = info.context.links.rowless_task_views([self._task], info.context.base_url)
        return self._views.get(clip_id, [])


def suno_time(value: str | None) -> datetime | None:
    """Suno writes ISO-8601 with a Z suffix; anything unparseable is left out rather than guessed."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
