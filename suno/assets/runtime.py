"""The asset machinery as the composition root builds it (storage, mirror, catalog, links) and starts it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from suno.assets.fetch import Fetcher
from suno.assets.links import AssetLinks
from suno.assets.mirror import AssetMirror, MirrorOptions
from suno.assets.resolver import DownloadResolver
from suno.assets.retention import Retention
from suno.assets.signing import UrlSigner, signing_key
from suno.assets.storage import AssetStorage, LocalStorage
from suno.assets.views import AssetCatalog
from suno.config import Settings
from suno.store import TaskStore
from suno.store.asset_store import AssetStore
from suno.upstream.pool import AccountPool
from suno.upstream.port import Upstream


@dataclass
class Assets:
    settings: Settings
    store: AssetStore
    tasks: TaskStore
    storage: AssetStorage
    mirror: AssetMirror
    catalog: AssetCatalog
    links: AssetLinks
    http: httpx.AsyncClient

    async def start(self, stack: contextlib.AsyncExitStack) -> None:
        """Start the mirror; its stop, the media client's and the storage's are registered on `stack`."""
        stack.push_async_callback(self.storage.aclose)
        stack.push_async_callback(self.http.aclose)
        await self.mirror.start()
        stack.push_async_callback(self.mirror.stop)


def download_resolver(upstream: Upstream, settings: Settings) -> DownloadResolver | None:
    """The resolver needs each account's own Suno client: the pool has them; a test double may not."""
    if not isinstance(upstream, AccountPool):
        return None
    return DownloadResolver(
        upstream.client, auto_unlock=settings.asset_auto_unlock, reserve=settings.asset_download_reserve
    )


def build_assets(
    settings: Settings,
    tasks: TaskStore,
    *,
    resolver: DownloadResolver | None,
    changes: Callable[[], int],
    options: MirrorOptions | None = None,
) -> Assets:
    """Storage, mirror, catalog and links, not yet started. `changes` counts the published changes,
    so the mirror reads the event log only when something happened."""
    storage = build_storage(settings)
    store = AssetStore(tasks.engine)
    timeout = httpx.Timeout(settings.upstream_timeout, connect=min(settings.upstream_timeout, 15.0))
    # Media hosts are not studio-api: no account headers, and presigned URLs may redirect.
    http = httpx.AsyncClient(proxy=settings.proxy or None, timeout=timeout, follow_redirects=True)
    mirror = AssetMirror(
        assets=store,
        tasks=tasks,
        storage=storage,
        fetcher=Fetcher(http, storage),
        resolver=resolver,
        retention=Retention(
            store, storage, max_bytes=settings.asset_max_bytes, max_age_days=settings.asset_max_age_days
        ),
        options=options
        or MirrorOptions(
            concurrency=settings.asset_mirror_concurrency,
            attempts=settings.asset_mirror_attempts,
            # Slower than the worker: a finished song waits a moment, the database is left alone.
            tick_seconds=min(max(settings.poll_interval * 5, 0.25), 1.0),
        ),
        changes=changes,
    )
    signer = UrlSigner(signing_key(settings), settings.asset_url_ttl)
    catalog = AssetCatalog(store, signer, settings.public_base_url)
    return Assets(settings, store, tasks, storage, mirror, catalog, AssetLinks(catalog, store), http)


def build_storage(settings: Settings) -> AssetStorage:
    if settings.asset_s3_bucket:
        from suno.assets.s3 import S3Storage  # the "s3" extra: only imported when configured

        return S3Storage(settings)
    return LocalStorage(asset_dir(settings))


def asset_dir(settings: Settings) -> Path:
    """ASSET_DIR, else "assets" beside the SQLite database (so a test's temporary database keeps its
    files with it), else ./assets."""
    if settings.asset_dir:
        return Path(settings.asset_dir)
    if not settings.sql_dsn and settings.sqlite_path:
        return Path(settings.sqlite_path.split("?", 1)[0]).parent / "assets"
    return Path("assets")
