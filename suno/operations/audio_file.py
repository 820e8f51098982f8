"""An upload's audio on disk: copied chunk by chunk with the size capped, its type sniffed from its first bytes.

The file never sits in memory whole: doors hand it over as chunks, the copy goes to a temporary file,
and the upstream streams that file to Suno's presigned form.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx

from suno.errors import InvalidRequest

CHUNK = 64 * 1024
# The media type Suno's storage is told for each extension.
CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "aac": "audio/aac",
}


def sniff(head: bytes) -> str | None:
    """The audio format the first bytes show, or None when they show no audio format we accept."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        # MPEG audio frames and ADTS share the sync word; ADTS has layer bits 00.
        return "aac" if len(head) > 1 and head[1] & 0x06 == 0 else "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    return None


@contextlib.contextmanager
def temporary_audio() -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix="sunoql-upload-")
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


async def spool(chunks: AsyncIterator[bytes], path: Path, max_bytes: int) -> str:
    """Write the chunks to `path`, refusing more than `max_bytes`; the format sniffed (InvalidRequest otherwise)."""
    size = 0
    head = b""
    with path.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise InvalidRequest(
                    f"the audio file is larger than {max_bytes} bytes (UPLOAD_MAX_BYTES)", field="file"
                )
            if len(head) < 16:
                head += chunk[: 16 - len(head)]
            out.write(chunk)
    if size == 0:
        raise InvalidRequest("the audio file is empty", field="file")
    found = sniff(head)
    if found is None:
        raise InvalidRequest(
            "the file is not audio in a format Suno takes (mp3, m4a, wav, flac, ogg, aac)", field="file"
        )
    return found


async def download(url: str, path: Path, max_bytes: int, http: httpx.AsyncClient) -> str:
    """Fetch an audio URL to `path` under the same cap; the format sniffed."""
    if not url.startswith(("http://", "https://")) or len(url) > 2048:
        raise InvalidRequest("url must be an http(s) URL of an audio file", field="url")
    try:
        async with http.stream("GET", url, follow_redirects=True) as response:
            if response.status_code != 200:
                raise InvalidRequest(f"the audio URL answered HTTP {response.status_code}", field="url")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InvalidRequest(
                    f"the audio file is larger than {max_bytes} bytes (UPLOAD_MAX_BYTES)", field="url"
                )
            return await spool(response.aiter_bytes(CHUNK), path, max_bytes)
    except httpx.HTTPError as exc:
        raise InvalidRequest(f"cannot fetch the audio URL ({type(exc).__name__})", field="url") from None
