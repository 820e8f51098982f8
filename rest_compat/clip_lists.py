"""Clips asked for by their Suno ids (`ids=a,b`), for every door that reads clips without their task."""

from __future__ import annotations

from collections.abc import Sequence

from rest_compat.failures import bad_request
from suno.assets.links import AssetLinks
from suno.assets.views import AssetView
from suno.models import Clip
from suno.requests import MAX_LENGTHS
from suno.service import SunoService

MAX_CLIP_IDS = 100
MAX_CLIP_ID_LENGTH = MAX_LENGTHS["continue_clip_id"]


def clip_ids(value: str, name: str = "ids") -> list[str]:
    """A comma-separated list of clip ids as distinct ids, or a 400 naming `name`."""
    ids = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if len(ids) > MAX_CLIP_IDS:
        raise bad_request(f"{name} has too many clip ids: {len(ids)}, at most {MAX_CLIP_IDS}")
    if any(len(clip_id) > MAX_CLIP_ID_LENGTH for clip_id in ids):
        raise bad_request(f"{name} has a clip id longer than {MAX_CLIP_ID_LENGTH} characters")
    return ids


async def find_clips(
    service: SunoService, links: AssetLinks, ids: Sequence[str], base_url: str
) -> list[tuple[Clip, Sequence[AssetView]]]:
    """Each clip among `ids` that a task made, with its asset views, in the order asked."""
    tasks = await service.tasks_for_clips(ids)
    views = await links.task_views(tasks, base_url)
    made = {clip.id: clip for task in tasks for clip in task.clips}
    return [(made[clip_id], views.get(clip_id, ())) for clip_id in ids if clip_id in made]
