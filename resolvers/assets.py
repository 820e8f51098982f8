"""Clip.assets: the playable copies of a clip, batched per request through the context's loader."""

from __future__ import annotations

import strawberry

from schema import types
from suno.assets.views import AssetView


def asset_to_graphql(view: AssetView) -> types.ClipAsset:
    return types.ClipAsset(
        kind=view.kind.value,
        state=view.state.value,
        reason=view.reason or None,
        url=view.url,
        content_type=view.content_type,
        size=view.size,
    )


async def clip_assets(
    info: strawberry.Info, clip_id: str, task_id: str | None = None
) -> list[types.ClipAsset]:
    loader = info.context.asset_loader
    if loader is None:
        return []
    return [asset_to_graphql(view) for view in await loader.load((task_id, clip_id))]
