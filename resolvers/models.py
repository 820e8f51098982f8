"""The models resolver: each account's models from its (cached) billing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.suno_model import SunoModel


async def models(
    info: Info,
    usable_only: Annotated[
        bool, strawberry.argument(description="Only the models that may be used now.")
    ] = False,
    refresh: Annotated[bool, strawberry.argument(description="Read billing from Suno now.")] = False,
) -> list[SunoModel]:
    found = await info.context.service.models(usable_only=usable_only, refresh=refresh)
    return [SunoModel.from_domain(model) for model in found]
