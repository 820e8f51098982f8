"""Is this download really media? The first bytes decide: an XML error page or ciphertext is not a song."""

from __future__ import annotations

from dataclasses import dataclass

from suno.assets.model import AssetKind

SNIFF_BYTES = 64
# Below these sizes a "song" or a cover is an error body, not media (Suno's 403 XML is ~111 bytes).
MIN_BYTES = {AssetKind.AUDIO: 2048, AssetKind.WAV: 2048, AssetKind.VIDEO: 2048, AssetKind.IMAGE: 64}


@dataclass(frozen=True, slots=True)
class MediaType:
    content_type: str
    extension: str


MP3 = MediaType("audio/mpeg", "mp3")
WAV = MediaType("audio/wav", "wav")
MP4_AUDIO = MediaType("audio/mp4", "m4a")
MP4_VIDEO = MediaType("video/mp4", "mp4")
WEBM = MediaType("audio/webm", "webm")
OGG = MediaType("audio/ogg", "ogg")
PNG = MediaType("image/png", "png")
JPEG = MediaType("image/jpeg", "jpeg")
WEBP = MediaType("image/webp", "webp")


class NotMedia(ValueError):
    """The body is not what it claims to be; the message says what it looks like instead."""


def _looks_like_text(head: bytes) -> str | None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<?xml", b"<error", b"<!doctype", b"<html", b"<head", b"<body")):
        return "an XML or HTML page"
    if stripped.startswith((b"{", b"[")):
        return "a JSON document"
    return None


def media_type(head: bytes, kind: AssetKind) -> MediaType:
    """The media type of a body starting with `head`; raises NotMedia for anything else."""
    if (text := _looks_like_text(head)) is not None:
        raise NotMedia(f"the body is {text}, not {kind.value}")
    if kind in (AssetKind.AUDIO, AssetKind.WAV, AssetKind.VIDEO):
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            return WAV
        if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
            return MP3  # an ID3 tag, or an MPEG audio frame sync
        if head[4:8] == b"ftyp":
            brand = head[8:12]
            return MP4_AUDIO if brand in (b"M4A ", b"M4B ") and kind is not AssetKind.VIDEO else MP4_VIDEO
        if head[:4] == b"\x1a\x45\xdf\xa3":
            return WEBM
        if head[:4] == b"OggS":
            return OGG
    if kind is AssetKind.IMAGE:
        if head[:8] == b"\x89PNG\r\n\x1a\n":
            return PNG
        if head[:3] == b"\xff\xd8\xff":
            return JPEG
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
    raise NotMedia(f"the first bytes ({head[:8].hex()}) are not a known {kind.value} format")


def check_media(head: bytes, size: int, kind: AssetKind) -> MediaType:
    """The media type, after refusing bodies too small to be real media."""
    found = media_type(head, kind)
    if kind is AssetKind.WAV and found is not WAV:
        raise NotMedia(f"asked for WAV, got {found.content_type}")
    if size < MIN_BYTES[kind]:
        raise NotMedia(f"{size} bytes is implausibly small for {kind.value}")
    return found
