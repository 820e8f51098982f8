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
# Finished songs whose views are remembered (as many as AssetRowCache keeps rows of, by default).
MAX_REMEMBERED_VIEWS = 20_000


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


@dataclass(frozen=True, slots=True)
class MadeViews:
    """A finished song's views, made from `rows` (the very tuple AssetRowCache kept) for links expiring
    at `expires`; valid while the cache still holds that tuple and the window lasts."""

    rows: tuple[Asset, ...]
    expires: int
    views: dict[str, list[AssetView]]


def finished_songs(tasks: Sequence[Task]) -> list[Task]:
    return [t for t in tasks if t.action.makes_clips and t.status is TaskStatus.SUCCESS]


class AssetCatalog:
    """Reads asset rows and turns them into views; the one place links to playable copies are made."""

    def __init__(self, store: AssetStore, signer: UrlSigner, public_base_url: str = "") -> None:
        self.store = store
        self.signer = signer
        self.public_base_url = public_base_url.rstrip("/")
        # (task id, caller's base URL) → the views last made from the task's kept rows
        self._made: dict[tuple[str, str], MadeViews] = {}

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

        A finished song whose rows the mirror has not written yet shows them as pending. A song whose
        rows are kept in memory (AssetRowCache) gets the views made from those very rows the last time,
        while the links' expiry window lasts: a poll of a finished song builds nothing.
        """
        expires = self.signer.current_expiry()
        result: dict[str, list[AssetView]] = {}
        unmade: list[Task] = []
        for task in finished_songs(tasks):
            made = self._made.get((task.id, base_url))
            if made is not None and made.expires == expires and made.rows is self.store.cache.get(task.id):
                result.update(made.views)
            else:
                unmade.append(task)
        if unmade:
            result.update(await self._make_views(unmade, base_url, expires))
        return result

    async def _make_views(
        self, finished: Sequence[Task], base_url: str, expires: int
    ) -> dict[str, list[AssetView]]:
        # A finished song's clips are fixed, so its rows are kept per task (see AssetRowCache).
        clips_by_task = {task.id: [clip.id for clip in task.clips] for task in finished}
        try:
            rows = await self.store.rows_for_tasks(clips_by_task)
        except (StoreUnavailable, SQLAlchemyError, OSError) as error:
            # The database is away (a restart): the links that need no row still play, so answer with them.
            log.warning("asset rows unavailable (%s); showing the links that need none", type(error).__name__)
            rows = []
        result: dict[str, list[AssetView]] = {}
        for task in finished:
            kept = self.store.cache.get(task.id)
            if kept is None:  # not kept (a failed read, a change that raced with it): made, not remembered
                result.update(self.views_from_rows([task], rows, base_url))
                continue
            views = self.views_from_rows([task], kept, base_url)
            self._remember(task.id, base_url, MadeViews(kept, expires, views))
            result.update(views)
        return result

    def _remember(self, task_id: str, base_url: str, made: MadeViews) -> None:
        if len(self._made) >= MAX_REMEMBERED_VIEWS:
            self._made.clear()  # a new expiry window makes every entry stale anyway
        self._made[(task_id, base_url)] = made

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
