"""Uploads as the doors hand them over (chunks of a multipart file, or a URL) → an UPLOAD task."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from urllib.parse import unquote, urlparse

import httpx

from suno.models import Task
from suno.operations.audio_file import CONTENT_TYPES, download, spool, temporary_audio
from suno.operations.requests import upload_request
from suno.service import SunoService

URL_FETCH_TIMEOUT = 60.0


async def upload_chunks(
    service: SunoService, filename: str, title: str | None, chunks: AsyncIterator[bytes], max_bytes: int
) -> Task:
    request = upload_request(filename, title)
    with temporary_audio() as path:
        found = await spool(chunks, path, max_bytes)
        # The bytes decide the type Suno is told, whatever the name said.
        request = dataclasses.replace(request, upload_extension=found)
        return await service.upload_audio(request, path, CONTENT_TYPES[found])


async def upload_url(service: SunoService, url: str, title: str | None, max_bytes: int) -> Task:
    name = unquote(urlparse(url).path.rsplit("/", 1)[-1]) or "audio.mp3"
    request = upload_request(name if "." in name else f"{name}.mp3", title)
    with temporary_audio() as path:
        async with httpx.AsyncClient(timeout=URL_FETCH_TIMEOUT) as http:
            found = await download(url, path, max_bytes, http)
        request = dataclasses.replace(request, upload_extension=found)
        return await service.upload_audio(request, path, CONTENT_TYPES[found])
