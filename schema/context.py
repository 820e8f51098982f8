"""What every resolver receives: the service, the settings, and the batching task, asset and webhook loaders.

Built for every HTTP request, so it does nothing up front: the base URL and the loaders are made the
first time a resolver asks for them (most operations need neither).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from suno.assets.links import AssetLinks
from suno.assets.views import AssetView
from suno.config import Settings
from suno.models import Task
from suno.service import SunoService
from suno.store.webhook_outbox import Delivery

# A clip id and the task snapshot it is shown with (None for a clip shown without its task).
AssetKey = tuple[Task | None, str]


@dataclass(eq=False)
class GraphQLContext:
    service: SunoService
    settings: Settings
    links: AssetLinks
    request: Any = None
    response: Any = None
    # Set by Strawberry from the WebSocket connection_init payload.
    connection_params: dict[str, Any] | None = None

    async def load_task(self, task_id: str) -> Task | None:
        """The task, from the service's memory when it has it, else through the batching loader."""
        # A hit needs no batching: the loader would answer it from the same memory, a loop turn later.
        known = self.service.cache.get(task_id)
        return known if known is not None else await self.task_loader.load(task_id)

    @cached_property
    def base_url(self) -> str:
        """The caller's base URL for asset links; ws:// or wss:// on a WebSocket, which the catalog makes http(s)."""
        base_url = getattr(self.request, "base_url", None)
        return "" if base_url is None else str(base_url)

    @cached_property
    def task_loader(self) -> DataLoader[str, Task | None]:
        """Batches the task lookups of one tick (aliases, continuation sources) into one store query."""
        service = self.service

        async def load_tasks(ids: list[str]) -> list[Task | None]:
            found = {task.id: task for task in await service.get_tasks(ids)}
            return [found.get(task_id) for task_id in ids]

        # No cache: a WebSocket context lives as long as the connection, and tasks change.
        return DataLoader(load_tasks, cache=False)

    @cached_property
    def asset_loader(self) -> DataLoader[AssetKey, list[AssetView]] | None:
        """Batches the asset lookups of a page of clips into one store query."""
        links = self.links
        if links is None:  # a context without an asset catalog (the in-process bench) shows no copies
            return None

        async def load_assets(keys: list[AssetKey]) -> list[list[AssetView]]:
            # Through the snapshots the clips came with, as REST does: a finished song's assets show (as
            # pending) before the mirror's rows exist, and a subscription's links match its status.
            tasks = list({task.id: task for task, _ in keys if task is not None}.values())
            found = await links.task_views(tasks, self.base_url)
            orphans = [clip_id for _, clip_id in keys if clip_id not in found]
            found |= await links.clip_views(orphans, self.base_url)
            return [found.get(clip_id, []) for _, clip_id in keys]

        return DataLoader(load_assets, cache=False)

    @cached_property
    def delivery_loader(self) -> DataLoader[str, list[Delivery]]:
        """Batches the webhook deliveries of a page of tasks into one store query."""
        outbox = self.service.store.webhooks

        async def load_deliveries(task_ids: list[str]) -> list[list[Delivery]]:
            found = await outbox.for_tasks(task_ids)
            return [found.get(task_id, []) for task_id in task_ids]

        return DataLoader(load_deliveries, cache=False)


Info = strawberry.Info[GraphQLContext, None]


def new_context(
    service: SunoService, settings: Settings, links: AssetLinks, request: Any = None, response: Any = None
) -> GraphQLContext:
    return GraphQLContext(service, settings, links, request, response)
