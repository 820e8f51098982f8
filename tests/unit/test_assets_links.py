"""One decision of a clip's links for every door: sunoql's copy where a view exists, Suno's value otherwise."""

from __future__ import annotations

import pytest

from suno.assets.links import ROWLESS_FIELDS, ClipLinks, clip_links, with_playable_links
from suno.assets.model import AssetKind, AssetState
from suno.assets.views import AssetView, http_base_url
from suno.models import Clip

SUNO = {
    "id": "c1",
    "status": "complete",
    "audio_url": "https://studio-api.prod.suno.com/api/forbidden",
    "image_url": "https://cdn.example/c1.jpeg",
    "image_large_url": "https://cdn.example/c1-large.jpeg",
    "video_url": "https://cdn.example/c1.mp4",
}
OURS = {kind: f"http://host/assets/clips/c1/{kind.value}?sig=x" for kind in AssetKind}


def view(kind: AssetKind, state: AssetState = AssetState.PENDING) -> AssetView:
    return AssetView(clip_id="c1", kind=kind, state=state, reason="", url=OURS[kind])


def test_without_views_every_link_is_sunos_own() -> None:
    assert clip_links(Clip.from_upstream(SUNO), []) == ClipLinks(
        SUNO["audio_url"], SUNO["image_url"], SUNO["image_large_url"], SUNO["video_url"]
    )


def test_a_kind_with_a_view_links_sunoqls_copy_even_while_pending_and_the_rest_stays_sunos() -> None:
    links = clip_links(Clip.from_upstream(SUNO), [view(AssetKind.AUDIO), view(AssetKind.IMAGE)])
    assert links == ClipLinks(
        OURS[AssetKind.AUDIO], OURS[AssetKind.IMAGE], OURS[AssetKind.IMAGE], SUNO["video_url"]
    )


@pytest.mark.parametrize(
    "kinds", [(), (AssetKind.AUDIO,), (AssetKind.AUDIO, AssetKind.IMAGE, AssetKind.VIDEO)]
)
def test_rest_shows_the_links_graphql_shows(kinds: tuple[AssetKind, ...]) -> None:
    views = [view(kind, AssetState.READY) for kind in kinds]
    links = clip_links(Clip.from_upstream(SUNO), views)
    rest = with_playable_links(SUNO, views)
    assert (rest["audio_url"], rest["image_url"], rest["image_large_url"], rest["video_url"]) == (
        links.audio_url,
        links.image_url,
        links.image_large_url,
        links.video_url,
    )


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("ws://host:8000/", "http://host:8000"),
        ("wss://music.example.org/", "https://music.example.org"),
        ("WSS://music.example.org/prefix/", "https://music.example.org/prefix"),
        ("http://host:8000/", "http://host:8000"),
        ("https://music.example.org", "https://music.example.org"),
        ("", ""),
    ],
)
def test_links_made_for_a_websocket_caller_are_http_links(asked: str, shown: str) -> None:
    assert http_base_url(asked) == shown


def test_the_links_graphql_shows_without_an_asset_query_are_the_audio_and_the_covers() -> None:
    # schema/clip.py resolves these three from `unread_asset_views`; videoUrl reads the rows.
    assert {"audio_url", "image_url", "image_large_url"} == ROWLESS_FIELDS
