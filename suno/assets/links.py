"""The playable links every front door shows: one call per request, and each clip's links decided here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from suno.assets.model import MIRRORED_KINDS, AssetKind
from suno.assets.views import ROUTE_PREFIX, AssetCatalog, AssetView
from suno.models import Clip, Task
from suno.store.asset_store import AssetStore

# A clip's timed lyrics, as players read them.
LRC_FILE = "lyrics.lrc"

# Clip fields that point at our copy of a kind, when there is one; Suno's value moves to upstream_<field>.
LINKED_FIELDS = {
    AssetKind.AUDIO: ("audio_url",),
    AssetKind.IMAGE: ("image_url", "image_large_url"),
    AssetKind.VIDEO: ("video_url",),
}
# Fields whose link needs no asset row: every finished song shows these kinds (`AssetLinks.rowless_task_views`).
ROWLESS_FIELDS = frozenset(name for kind in MIRRORED_KINDS for name in LINKED_FIELDS[kind])


@dataclass(frozen=True, slots=True)
class ClipLinks:
    """A clip's media links as every door shows them: sunoql's copy of each kind that has a view
    (a pending copy's link answers 202 until it is ready), Suno's own value for the others."""

    audio_url: str | None
    image_url: str | None
    image_large_url: str | None
    video_url: str | None


class AssetLinks:
    """The asset views behind every door's clip links; app.py builds one and gives it to each door."""

    def __init__(self, catalog: AssetCatalog, store: AssetStore) -> None:
        self.catalog = catalog
        self.store = store

    def lyrics_url(self, clip_id: str, base_url: str = "") -> str:
        """The signed link of a clip's timed lyrics as LRC (served once they exist)."""
        return self.catalog.url(f"{ROUTE_PREFIX}/{quote(clip_id, safe='')}/{LRC_FILE}", base_url)

    async def task_views(self, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
        """clip id → its asset views for the finished songs among `tasks`."""
        return await self.catalog.views(tasks, base_url) if tasks else {}

    def rowless_task_views(self, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
        """`task_views` without reading the store: the same links for ROWLESS_FIELDS, nothing else."""
        return self.catalog.views_from_rows(tasks, (), base_url) if tasks else {}

    async def clip_views(self, clip_ids: Sequence[str], base_url: str = "") -> dict[str, list[AssetView]]:
        """clip id → views of the asset rows that exist (for doors that see clips without their task)."""
        if not clip_ids:
            return {}
        found: dict[str, list[AssetView]] = {clip_id: [] for clip_id in clip_ids}
        for asset in await self.store.for_clips(clip_ids):
            found[asset.clip_id].append(self.catalog.view(asset, base_url))
        return found


def playable_fields(views: Sequence[AssetView]) -> dict[str, str]:
    """Suno's clip field name → the link to sunoql's copy, for the fields whose kind has a view."""
    return {name: view.url for view in views for name in LINKED_FIELDS.get(view.kind, ())}


def clip_links(clip: Clip, views: Sequence[AssetView]) -> ClipLinks:
    """The links to show for `clip` given its views (from `AssetLinks`)."""
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
