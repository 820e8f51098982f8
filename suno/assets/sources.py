"""Where a finished clip's media may come from, best first, read from Suno's clip object alone.

Since late 2026 `audio_url` may be a placeholder answering 403, the real media sits in
`media_urls` (some of it encrypted), and the download resolver is the last resort
(upstream-protocol.md §10). This module only reads the clip; nothing here touches the network.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from suno.assets.model import AssetKind
from suno.models import Clip


class SourceKind(enum.StrEnum):
    AUDIO_URL = "audio_url"
    MEDIA_URL = "media_url"
    DOWNLOAD = "download"  # Suno's download resolver, with the account that made the clip
    WAV = "wav"  # convert_wav, then wav_file
    IMAGE_URL = "image_url"
    VIDEO_URL = "video_url"


@dataclass(frozen=True, slots=True)
class Source:
    kind: SourceKind
    url: str = ""  # empty for the resolver sources: their URL is asked for when they are tried


# Content types in media_urls, most playable first.
_AUDIO_PREFERENCE = ("mp3", "audio/mpeg", "m4a", "audio/mp4", "m4a-opus", "webm-opus", "audio/webm")


def is_placeholder(url: str | None) -> bool:
    """True for URLs that never lead to a song: empty, Suno's 403 placeholder, `None.mp3`, live streams."""
    if not url:
        return True
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return True
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if path.endswith("/api/forbidden") or last.lower() in ("none.mp3", "none", "null.mp3"):
        return True
    # audiopipe serves the song while it is being made: never a finished file.
    return "audiopipe" in parts.netloc or path.endswith("/audiopipe")


def plain_media_urls(clip: Clip) -> list[Mapping[str, Any]]:
    """The `media_urls` items that are not encrypted (no `encoding` field), audio preferred as mp3, then
    progressive delivery. Encrypted items are never served and never decrypted."""
    items = clip.raw.get("media_urls")
    if not isinstance(items, Sequence) or isinstance(items, str):
        return []
    plain = [
        item
        for item in items
        if isinstance(item, Mapping)
        and "encoding" not in item
        and isinstance(item.get("url"), str)
        and not is_placeholder(item["url"])
    ]

    def rank(item: Mapping[str, Any]) -> tuple[int, int]:
        content_type = str(item.get("content_type") or "").lower()
        kind = (
            _AUDIO_PREFERENCE.index(content_type)
            if content_type in _AUDIO_PREFERENCE
            else len(_AUDIO_PREFERENCE)
        )
        progressive = 0 if str(item.get("delivery") or "progressive") == "progressive" else 1
        return (kind, progressive)

    return sorted(plain, key=rank)


def audio_sources(clip: Clip, *, resolver_available: bool) -> list[Source]:
    """Candidates for the playable audio, first that works wins: a real `audio_url`, a plain
    `media_urls` item, then the download resolver."""
    sources: list[Source] = []
    if not is_placeholder(clip.audio_url) and clip.audio_url:
        sources.append(Source(SourceKind.AUDIO_URL, clip.audio_url))
    sources.extend(Source(SourceKind.MEDIA_URL, str(item["url"])) for item in plain_media_urls(clip))
    if resolver_available:
        sources.append(Source(SourceKind.DOWNLOAD))
    return sources


def sources_for(clip: Clip, kind: AssetKind, *, resolver_available: bool) -> list[Source]:
    if kind is AssetKind.AUDIO:
        return audio_sources(clip, resolver_available=resolver_available)
    if kind is AssetKind.WAV:
        return [Source(SourceKind.WAV)] if resolver_available else []
    url = clip.image_large_url or clip.image_url if kind is AssetKind.IMAGE else clip.video_url
    if kind is AssetKind.IMAGE:
        return [Source(SourceKind.IMAGE_URL, url)] if url and not is_placeholder(url) else []
    return [Source(SourceKind.VIDEO_URL, url)] if url and not is_placeholder(url) else []


def encrypted_only(clip: Clip) -> bool:
    """True when `media_urls` lists only encrypted items: Suno has the song but will not hand it out plainly."""
    items = clip.raw.get("media_urls")
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        return False
    return all(isinstance(item, Mapping) and "encoding" in item for item in items)
