from __future__ import annotations

import pytest

from suno.config import Settings
from suno.upstream.cookies import clerk_client_value, merge_set_cookie
from suno.upstream.http import build_http_client, web_app_headers
from suno.upstream.jwt import jwt_expiry

from .conftest import make_jwt


@pytest.mark.parametrize("proxy", ["", "http://127.0.0.1:7890", "socks5://127.0.0.1:1080"])
async def test_http_client_honours_proxy_and_timeout(proxy):
    client = build_http_client(Settings(proxy=proxy, upstream_timeout=12))
    async with client:
        assert client.timeout.read == 12
        assert not client.follow_redirects


def test_web_app_headers_look_like_suno_com():
    headers = web_app_headers("dev-1")
    assert headers["device-id"] == "dev-1" and headers["Origin"] == "https://suno.com"
    assert "device-id" not in web_app_headers("")


def test_set_cookie_merge_updates_adds_and_drops():
    merged = merge_set_cookie(
        "__client=a; keep=1; gone=x",
        ["__client=b; Path=/; HttpOnly", "new=2; Secure", "gone=; Max-Age=0", "junk"],
    )
    assert merged == "__client=b; keep=1; new=2"
    assert clerk_client_value(merged) == "b"
    assert merge_set_cookie("a=1", ["a=1; Path=/"]) == "a=1"


def test_jwt_expiry_is_read_without_verification():
    assert jwt_expiry(make_jwt(1234.5)) == 1234.5
    assert jwt_expiry(make_jwt(None)) is None
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.!!!.c") is None
