"""What every front door shows about a clip's playable copies: one AssetView per kind, with a signed URL."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy.exc import SQLAlchemyError

from suno.assets.model import DEFAULT_EXTENSIONS, FILE_STEMS, MIRRORED_KINDS, Asset, AssetKind, AssetState
from suno.assets.signing import UrlSigner
from suno.errors import StoreUnavailable
from suno.models import Task, TaskAction, TaskStatus
from suno.store.asset_store import AssetStore

log = logging.getLogger("suno.assets")

ROUTE_PREFIX = "/assets/clips"
# The asset route is HTTP; a link made for a WebSocket caller keeps its host and security.
WEB_SCHEMES = {"ws": "http", "wss": "https"}


@dataclass(frozen=True, slots=True)
class AssetView:
    """`url` plays when `state` is ready; otherwise it answers 202 (pending), 409 (unavailable) or 502."""

    clip_id: str
    kind: AssetKind
    state: AssetState
    reason: str
    url: str
    content_type: str | None = None
    size: int | None = None
    source: str = ""

    @property
    def playable(self) -> bool:
        return self.state is AssetState.READY


def asset_path(clip_id: str, kind: AssetKind) -> str:
    """The same path whatever the state, so a link handed out while mirroring still works once ready.
    The extension is nominal (what Suno usually makes); Content-Type says the real format."""
    return f"{ROUTE_PREFIX}/{quote(clip_id, safe='')}/{FILE_STEMS[kind]}.{DEFAULT_EXTENSIONS[kind]}"


def http_base_url(base_url: str) -> str:
    """The caller's base URL as players fetch from it: a request over a WebSocket (ws://, wss://)
    gets the HTTP link of the same host (http://, https://)."""
    scheme, separator, rest = base_url.rstrip("/").partition("://")
    return f"{WEB_SCHEMES.get(scheme.lower(), scheme)}{separator}{rest}"


def finished_songs(tasks: Sequence[Task]) -> list[Task]:
    return [t for t in tasks if t.action.makes_clips and t.status is TaskStatus.SUCCESS]


class AssetCatalog:
    """Reads asset rows and turns them into views; the one place links to playable copies are made."""

    def __init__(self, store: AssetStore, signer: UrlSigner, public_base_url: str = "") -> None:
        self.store = store
        self.signer = signer
        self.public_base_url = public_base_url.rstrip("/")

    def url(self, path: str, base_url: str = "") -> str:
        """Absolute when PUBLIC_BASE_URL (or the caller's base URL) is known; always signed."""
        base = self.public_base_url or http_base_url(base_url)
        return f"{base}{path}?{self.signer.query(path)}"

    def view(self, asset: Asset, base_url: str = "") -> AssetView:
        return AssetView(
            clip_id=asset.clip_id,
            kind=asset.kind,
            state=asset.state,
            reason=asset.reason.value,
            url=self.url(asset_path(asset.clip_id, asset.kind), base_url),
            content_type=asset.content_type,
            size=asset.size,
            source=asset.source,
        )

    async def views(self, tasks: Sequence[Task], base_url: str = "") -> dict[str, list[AssetView]]:
        """clip id → its asset views, for the finished songs among `tasks` (others have none yet).

        A finished song whose rows the mirror has not written yet shows them as pending.
        """
        finished = finished_songs(tasks)
        # A finished song's clips are fixed, so its rows are kept per task (see AssetRowCache).
        clips_by_task = {task.id: [clip.id for clip in task.clips] for task in finished}
        try:
            rows = await self.store.rows_for_tasks(clips_by_task)
        except (StoreUnavailable, SQLAlchemyError, OSError) as error:
            # The database is away (a restart): the links that need no row still play, so answer with them.
            log.warning("asset rows unavailable (%s); showing the links that need none", type(error).__name__)
            rows = []
        return self.views_from_rows(finished, rows, base_url)

    def views_from_rows(
        self, tasks: Sequence[Task], rows: Sequence[Asset], base_url: str = ""
    ) -> dict[str, list[AssetView]]:
        """`views` given the finished songs' asset rows; with no rows, every song shows the kinds every
        finished song has, as pending: the right links for those kinds (an address needs no row)."""
        by_key = {(a.clip_id, a.kind): a for a in rows}
        result: dict[str, list[AssetView]] = {}
        for task in finished_songs(tasks):
            for clip in task.clips:
                # A VIDEO task's video is its result: linked (pending) before the mirror's row exists.
                made_video = task.action is TaskAction.VIDEO
                kinds = [
                    *MIRRORED_KINDS,
                    *(
                        k
                        for k in (AssetKind.VIDEO, AssetKind.WAV)
                        if (clip.id, k) in by_key or (made_video and k is AssetKind.VIDEO)
                    ),
                ]
                result[clip.id] = [
                    self.view(
                        by_key.get((clip.id, kind)) or Asset(clip.id, kind, task.id, task.account), base_url
                    )
                    for kind in kinds
                ]
        return result
