"""Which source of a clip's media is tried first, what counts as "no asset", and what counts as media."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from simulator.downloads import FORBIDDEN_XML
from simulator.media import clip_wav, cover_png
from suno.assets.model import AssetKind
from suno.assets.sniff import NotMedia, check_media
from suno.assets.sources import SourceKind, audio_sources, encrypted_only, is_placeholder, sources_for
from suno.models import Clip


def clip(**raw: Any) -> Clip:
    return Clip.from_upstream({"id": "c1", "status": "complete", **raw})


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "https://studio-api.prod.suno.com/api/forbidden",
        "https://cdn1.suno.ai/None.mp3",
        "https://audiopipe.suno.ai/?item_id=c1",
        "ftp://cdn1.suno.ai/c1.mp3",
    ],
)
def test_placeholders_none_mp3_and_live_streams_are_not_assets(url: str | None) -> None:
    assert is_placeholder(url)
    assert audio_sources(clip(audio_url=url), resolver_available=False) == []


def test_a_real_audio_url_is_tried_first_and_the_resolver_last() -> None:
    sources = audio_sources(
        clip(
            audio_url="https://cdn1.suno.ai/c1.mp3",
            media_urls=[{"url": "https://cdn1.suno.ai/c1.m4a", "content_type": "m4a"}],
        ),
        resolver_available=True,
    )
    assert [s.kind for s in sources] == [SourceKind.AUDIO_URL, SourceKind.MEDIA_URL, SourceKind.DOWNLOAD]


def test_encrypted_media_items_are_skipped_and_mp3_then_progressive_preferred() -> None:
    items = [
        {
            "url": "https://m/enc.m4a",
            "content_type": "m4a-opus",
            "delivery": "progressive",
            "encoding": "1.0.0",
        },
        {"url": "https://m/hls.mp3", "content_type": "mp3", "delivery": "hls"},
        {"url": "https://m/a.webm", "content_type": "webm-opus", "delivery": "progressive"},
        {"url": "https://m/a.mp3", "content_type": "mp3", "delivery": "progressive"},
    ]
    sources = audio_sources(
        clip(audio_url="https://x/api/forbidden", media_urls=items), resolver_available=False
    )
    assert [s.url for s in sources] == ["https://m/a.mp3", "https://m/hls.mp3", "https://m/a.webm"]


def test_a_clip_with_only_encrypted_items_is_recognised() -> None:
    encrypted = clip(media_urls=[{"url": "https://m/enc", "encoding": "1.0.0"}])
    assert encrypted_only(encrypted)
    assert audio_sources(encrypted, resolver_available=False) == []
    assert not encrypted_only(clip(media_urls=[]))


def test_wav_comes_only_from_the_conversion_and_covers_prefer_the_large_image() -> None:
    c = clip(image_url="https://m/i.png", image_large_url="https://m/large.png")
    assert [s.kind for s in sources_for(c, AssetKind.WAV, resolver_available=True)] == [SourceKind.WAV]
    assert sources_for(c, AssetKind.WAV, resolver_available=False) == []
    assert [s.url for s in sources_for(c, AssetKind.IMAGE, resolver_available=False)] == [
        "https://m/large.png"
    ]
    assert sources_for(c, AssetKind.VIDEO, resolver_available=False) == []


MP3_FRAME = b"\xff\xfb\x90\x00" + b"\x00" * 4096
ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 4096
M4A = struct.pack(">I", 24) + b"ftypM4A \x00\x00\x00\x00" + b"\x00" * 4096


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(clip_wav("c1"), "audio/wav"), (MP3_FRAME, "audio/mpeg"), (ID3, "audio/mpeg"), (M4A, "audio/mp4")],
)
def test_riff_wave_mp3_frames_id3_and_ftyp_are_audio(body: bytes, content_type: str) -> None:
    assert check_media(body[:64], len(body), AssetKind.AUDIO).content_type == content_type


@pytest.mark.parametrize(
    "body",
    [
        FORBIDDEN_XML,
        FORBIDDEN_XML + b" " * 5000,  # padded past the size check: the content still decides
        b"<!DOCTYPE html><html><body>Access denied</body></html>" + b" " * 5000,
        b'{"detail": "Unauthorized"}' + b" " * 5000,
        bytes(range(256)) * 40,  # ciphertext: no header any player knows
    ],
)
def test_xml_html_json_and_ciphertext_bodies_are_not_audio(body: bytes) -> None:
    with pytest.raises(NotMedia):
        check_media(body[:64], len(body), AssetKind.AUDIO)


def test_an_implausibly_small_file_is_refused_even_with_a_good_header() -> None:
    with pytest.raises(NotMedia, match="implausibly small"):
        check_media(MP3_FRAME[:64], 300, AssetKind.AUDIO)


def test_covers_are_checked_as_images_and_wav_requests_must_be_wav() -> None:
    png = cover_png("c1")
    assert check_media(png[:64], len(png), AssetKind.IMAGE).content_type == "image/png"
    with pytest.raises(NotMedia):
        check_media(MP3_FRAME[:64], len(MP3_FRAME), AssetKind.WAV)
