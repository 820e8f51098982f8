"""The playable links every front door shows: one call per request, and each clip's links decided here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from suno.assets.model import MIRRORED_KINDS, AssetKind
from suno.assets.runtime import assets_of
from suno.assets.views import AssetView
from suno.models import Clip, Task

# Clip fields that point at our copy of a kind, when there is one; Suno's value moves to upstream_<field>.
LINKED_FIELDS = {
    AssetKind.AUDIO: ("audio_url",),
    AssetKind.IMAGE: ("image_url", "image_large_url"),
    AssetKind.VIDEO: ("video_url",),
}
# Fields whose link needs no asset row: every finished song shows these kinds (`unread_asset_views`).
ROWLESS_FIELDS = frozenset(name for kind in MIRRORED_KINDS for name in LINKED_FIELDS[kind])


@dataclass(frozen=True, slots=True)
class ClipLinks:
    """A clip's media links as every door shows them: sunoql's copy of each kind that has a view
    (a pending copy's link answers 202 until it is ready), Suno's own value for the others."""

    audio_url: str | None
    image_url: str | None
    image_large_url: str | None
    video_url: str | None


async def asset_views(service: Any, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
    """clip id → its asset views for the finished songs among `tasks`; {} when assets are not running."""
    assets = assets_of(service)
    if assets is None or not tasks:
        return {}
    return await assets.catalog.views(tasks, base_url)


def unread_asset_views(service: Any, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
    """`asset_views` without reading the store: the same links for ROWLESS_FIELDS, nothing else."""
    assets = assets_of(service)
    if assets is None or not tasks:
        return {}
    return assets.catalog.views_from_rows(tasks, (), base_url)


async def clip_asset_views(
    service: Any, clip_ids: Sequence[str], base_url: str = ""
) -> dict[str, list[AssetView]]:
    """clip id → views of the asset rows that exist (for doors that see clips without their task)."""
    assets = assets_of(service)
    if assets is None or not clip_ids:
        return {}
    found: dict[str, list[AssetView]] = {clip_id: [] for clip_id in clip_ids}
    for asset in await assets.store.for_clips(clip_ids):
        found[asset.clip_id].append(assets.catalog.view(asset, base_url))
    return found


def playable_fields(views: Sequence[AssetView]) -> dict[str, str]:
    """Suno's clip field name → the link to sunoql's copy, for the fields whose kind has a view."""
    return {name: view.url for view in views for name in LINKED_FIELDS.get(view.kind, ())}


def clip_links(clip: Clip, views: Sequence[AssetView]) -> ClipLinks:
    """The links to show for `clip` given its views (from `asset_views` or `clip_asset_views`)."""
    playable = playable_fields(views)
    return ClipLinks(
        audio_url=playable.get("audio_url", clip.audio_url),
        image_url=playable.get("image_url", clip.image_url),
        image_large_url=playable.get("image_large_url", clip.image_large_url),
        video_url=playable.get("video_url", clip.video_url),
    )


def with_playable_links(clip: Mapping[str, Any], views: Sequence[AssetView]) -> dict[str, Any]:
    """Suno's clip object under its original field names, `audio_url` (and the images, the video)
    pointing at sunoql's copy; Suno's own values kept as `upstream_audio_url` and so on."""
    linked = dict(clip)
    for name, url in playable_fields(views).items():
        linked[f"upstream_{name}"] = clip.get(name)
        linked[name] = url
    return linked
