"""S3-compatible asset storage (the optional "s3" extra, aiobotocore): upload once, serve by presigned URL.

Credentials come from the usual AWS sources (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, an
instance role), never from sunoql's settings, so they cannot leak through them. With
ASSET_S3_PROXY=true sunoql streams the object itself (Range passed through) instead of redirecting.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from suno.assets.storage import StoredFile
from suno.config import Settings
from suno.errors import SettingsError


class S3Storage:
    def __init__(self, settings: Settings) -> None:
        try:
            from aiobotocore.session import get_session
        except ImportError:
            raise SettingsError(
                "ASSET_S3_BUCKET: S3 storage needs the s3 extra (pip install 'sunoql[s3]')"
            ) from None
        self.bucket = settings.asset_s3_bucket
        self.prefix = settings.asset_s3_prefix
        self.proxy = settings.asset_s3_proxy
        self._session = get_session()
        self._options: dict[str, Any] = {}
        if settings.asset_s3_endpoint:
            self._options["endpoint_url"] = settings.asset_s3_endpoint
        if settings.asset_s3_region:
            self._options["region_name"] = settings.asset_s3_region
        self._staging = tempfile.TemporaryDirectory(prefix="sunoql-assets-")
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None

    async def _s3(self) -> Any:
        if self._client is None:
            self._client = await self._stack.enter_async_context(
                self._session.create_client("s3", **self._options)
            )
        return self._client

    def staging_dir(self) -> Path:
        return Path(self._staging.name)

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    async def put(self, key: str, staged: Path, content_type: str) -> None:
        s3 = await self._s3()
        with staged.open("rb") as body:  # S3 makes an object visible only once fully uploaded
            await s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=body, ContentType=content_type)

    async def locate(self, key: str, ttl: float) -> StoredFile | None:
        s3 = await self._s3()
        try:
            await s3.head_object(Bucket=self.bucket, Key=self._key(key))
        except s3.exceptions.ClientError:
            return None
        if self.proxy:
            return StoredFile(proxy_key=key)
        url = await s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=int(ttl)
        )
        return StoredFile(redirect_url=str(url))

    async def open_range(self, key: str, byte_range: str | None) -> tuple[int, dict[str, str], Any]:
        """For ASSET_S3_PROXY: S3's status, headers worth passing on, and the body stream."""
        s3 = await self._s3()
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key)}
        if byte_range:
            params["Range"] = byte_range
        reply = await s3.get_object(**params)
        meta = reply["ResponseMetadata"]
        headers = {
            name: value
            for name, value in meta.get("HTTPHeaders", {}).items()
            if name in ("content-length", "content-range", "content-type", "accept-ranges")
        }
        return int(meta["HTTPStatusCode"]), headers, reply["Body"]

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        await s3.delete_object(Bucket=self.bucket, Key=self._key(key))

    async def aclose(self) -> None:
        await self._stack.aclose()
        self._client = None
        self._staging.cleanup()
