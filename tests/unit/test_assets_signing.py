"""Signed asset URLs: they expire, cannot be moved to another asset, and carry no secret."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from suno.assets.model import AssetKind
from suno.assets.signing import UrlSigner, signing_key
from suno.assets.views import asset_path
from suno.config import Settings

SECRET = "s3cr3t-token-of-the-operator"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_a_signed_url_verifies_until_it_expires() -> None:
    clock = Clock()
    signer = UrlSigner(b"k" * 32, ttl=600, clock=clock)
    path = asset_path("c1", AssetKind.AUDIO)
    query = params("?" + signer.query(path))
    assert signer.verify(path, query)
    clock.now += 600 + 300  # past the ttl and the window it is rounded up to
    assert not signer.verify(path, query)


def test_a_signature_is_bound_to_its_path_and_expiry() -> None:
    signer = UrlSigner(b"k" * 32, ttl=600)
    query = params("?" + signer.query(asset_path("c1", AssetKind.AUDIO)))
    assert not signer.verify(asset_path("c2", AssetKind.AUDIO), query)
    assert not signer.verify(
        asset_path("c1", AssetKind.AUDIO), {**query, "expires": str(int(query["expires"]) + 60)}
    )
    assert not signer.verify(asset_path("c1", AssetKind.AUDIO), {"expires": "soon", "sig": query["sig"]})


def test_the_key_comes_from_the_setting_or_secret_token_and_never_shows_in_a_url() -> None:
    derived = signing_key(Settings(secret_token=SECRET))
    assert derived == signing_key(Settings(secret_token=SECRET))  # stable across restarts and replicas
    assert SECRET.encode() not in derived
    assert signing_key(Settings(asset_signing_key="explicit-key")) == b"explicit-key"
    assert signing_key(Settings()) != signing_key(Settings())  # random per start without either
    query = UrlSigner(derived, ttl=60).query("/assets/clips/c1/audio.mp3")
    assert SECRET not in query and derived.hex() not in query and "explicit" not in query


def test_a_remembered_signature_moves_on_with_the_expiry_window() -> None:
    clock = Clock()
    signer = UrlSigner(b"k" * 32, ttl=600, clock=clock)
    path = asset_path("c1", AssetKind.AUDIO)
    first = signer.query(path)
    assert signer.query(path) == first  # the same window: the same link, so browsers keep their cache
    clock.now += 300  # the next window
    later = params("?" + signer.query(path))
    assert int(later["expires"]) == int(params("?" + first)["expires"]) + 300
    assert signer.verify(path, later)
    clock.now += 600  # the first link expired; the one made now still plays
    assert not signer.verify(path, params("?" + first))
    assert signer.verify(path, params("?" + signer.query(path)))
