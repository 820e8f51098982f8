"""What every resolver receives: the service, the settings, and the batching task and asset loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from suno.assets.links import AssetLinks
from suno.assets.views import AssetView
from suno.config import Settings
from suno.models import Task
from suno.service import SunoService

# A clip id and the task snapshot it is shown with (None for a clip shown without its task).
AssetKey = tuple[Task | None, str]


@dataclass
class GraphQLContext:
    service: SunoService
    settings: Settings
    links: AssetLinks
    # Batches the task lookups of one tick (aliases, continuation sources) into one store query.
    task_loader: DataLoader[str, Task | None]
    request: Any = None
    response: Any = None
    # Batches the asset lookups of a page of clips into one store query.
    asset_loader: DataLoader[AssetKey, list[AssetView]] | None = None
    # Set by Strawberry from the WebSocket connection_init payload.
    connection_params: dict[str, Any] | None = field(default=None)
    # The caller's base URL for asset links; ws:// or wss:// on a WebSocket, which the catalog makes http(s).
    base_url: str = ""


Info = strawberry.Info[GraphQLContext, None]


def new_context(
    service: SunoService, settings: Settings, links: AssetLinks, request: Any = None, response: Any = None
) -> GraphQLContext:
    async def load_tasks(ids: list[str]) -> list[Task | None]:
        found = {task.id: task for task in await service.get_tasks(ids)}
        return [found.get(task_id) for task_id in ids]

    # ws:// or wss:// on a WebSocket: the asset catalog turns it into the http(s) links players fetch.
    base_url = str(request.base_url) if request is not None and hasattr(request, "base_url") else ""

    async def load_assets(keys: list[AssetKey]) -> list[list[AssetView]]:
        # Through the snapshots the clips came with, as REST does: a finished song's assets show (as
        # pending) before the mirror's rows exist, and a subscription's links match its status.
        tasks = list({task.id: task for task, _ in keys if task is not None}.values())
        found = await links.task_views(tasks, base_url)
        orphans = [clip_id for _, clip_id in keys if clip_id not in found]
        found |= await links.clip_views(orphans, base_url)
        return [found.get(clip_id, []) for _, clip_id in keys]

    # No cache: a WebSocket context lives as long as the connection, and tasks change.
    return GraphQLContext(
        service,
        settings,
        links,
        DataLoader(load_tasks, cache=False),
        request,
        response,
        asset_loader=DataLoader(load_assets, cache=False),
        base_url=base_url,
    )
