"""The playable links every front door shows: one call per request, and the clip dict with links swapped in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.assets.model import AssetKind
from suno.assets.runtime import assets_of
from suno.assets.views import AssetView
from suno.models import Task

# Clip fields that point at our copy of a kind, when there is one; Suno's value moves to upstream_<field>.
LINKED_FIELDS = {
    AssetKind.AUDIO: ("audio_url",),
    AssetKind.IMAGE: ("image_url", "image_large_url"),
    AssetKind.VIDEO: ("video_url",),
}


async def asset_views(service: Any, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
    """clip id → its asset views for the finished songs among `tasks`; {} when assets are not running."""
    assets = assets_of(service)
    if assets is None or not tasks:
        return {}
    return await assets.catalog.views(tasks, base_url)


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


def with_playable_links(clip: Mapping[str, Any], views: Sequence[AssetView]) -> dict[str, Any]:
    """Suno's clip object under its original field names, `audio_url` (and the images, the video)
    pointing at sunoql's copy; Suno's own values kept as `upstream_audio_url` and so on."""
    linked = dict(clip)
    for view in views:
        for name in LINKED_FIELDS.get(view.kind, ()):
            linked[f"upstream_{name}"] = clip.get(name)
            linked[name] = view.url
    return linked
