"""Starts the asset machinery for the composition root, and lets front doors find it from the service."""

from __future__ import annotations

import contextlib
import weakref
from pathlib import Path
from dataclasses import dataclass
from typing import Any

import httpx

from suno.assets.fetch import Fetcher
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

# The front doors receive the service; this finds the assets started with it.
_BY_SERVICE: weakref.WeakKeyDictionary[Any, Assets] = weakref.WeakKeyDictionary()


@dataclass
class Assets:
    settings: Settings
    store: AssetStore
    tasks: TaskStore
    storage: AssetStorage
    mirror: AssetMirror
    catalog: AssetCatalog


def assets_of(service: Any) -> Assets | None:
    """The assets started for `service`, or None (then doors show Suno's own links)."""
    return _BY_SERVICE.get(service)


def download_resolver(upstream: Any, settings: Settings) -> DownloadResolver | None:
    """The resolver needs each account's own Suno client: the pool has them; a test double may not."""
    if not isinstance(upstream, AccountPool):
        return None
    return DownloadResolver(
        upstream.client, auto_unlock=settings.asset_auto_unlock, reserve=settings.asset_download_reserve
    )


async def start_assets(
    settings: Settings,
    tasks: TaskStore,
    service: Any,
    upstream: Any,
    stack: contextlib.AsyncExitStack,
    *,
    resolver: DownloadResolver | None = None,
    options: MirrorOptions | None = None,
) -> Assets:
    """Build storage, mirror and catalog, start the mirror, and register its stop on `stack`."""
    storage = build_storage(settings)
    stack.push_async_callback(storage.aclose)
    store = AssetStore(tasks.engine)
    timeout = httpx.Timeout(settings.upstream_timeout, connect=min(settings.upstream_timeout, 15.0))
    # Media hosts are not studio-api: no account headers, and presigned URLs may redirect.
    http = httpx.AsyncClient(proxy=settings.proxy or None, timeout=timeout, follow_redirects=True)
    stack.push_async_callback(http.aclose)
    mirror = AssetMirror(
        assets=store,
        tasks=tasks,
        storage=storage,
        fetcher=Fetcher(http, storage),
        resolver=resolver or download_resolver(upstream, settings),
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
        changes=lambda: int(service.hub.published),
    )
    await mirror.start()
    stack.push_async_callback(mirror.stop)
    signer = UrlSigner(signing_key(settings), settings.asset_url_ttl)
    catalog = AssetCatalog(store, signer, settings.public_base_url)
    assets = Assets(settings, store, tasks, storage, mirror, catalog)
    _BY_SERVICE[service] = assets
    stack.callback(_BY_SERVICE.pop, service, None)
    return assets


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
