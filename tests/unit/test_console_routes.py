"""The console's routes: the page and its files with their types, cache headers and security headers."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from rest_compat.console import console_routes
from rest_compat.console.routes import STATIC_DIR, static_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=console_routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as http:
        yield http


def asset_links(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(console/[^"]+)"', page)


async def test_the_page_names_each_asset_by_a_hash_of_its_bytes(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    links = asset_links(page.text)
    assert {link.split("?")[0] for link in links} == {"console/app.js", "console/console.css"}
    for link in links:
        name, version = link.removeprefix("console/").split("?v=")
        assert version == static_files()[name].version
        asset = await client.get(f"/{link}")
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.content == (STATIC_DIR / name).read_bytes()
    assert "{asset:" not in page.text


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("graphql.js", "text/javascript; charset=utf-8"), ("console.css", "text/css; charset=utf-8")],
)
async def test_a_file_without_the_version_is_revalidated(
    client: httpx.AsyncClient, name: str, media_type: str
) -> None:
    reply = await client.get(f"/console/{name}")
    assert reply.headers["content-type"] == media_type
    assert reply.headers["cache-control"] == "public, max-age=0, must-revalidate"
    again = await client.get(f"/console/{name}", headers={"If-None-Match": reply.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_the_page_itself_answers_304_to_its_etag(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert (await client.get("/", headers={"If-None-Match": page.headers["etag"]})).status_code == 304


@pytest.mark.parametrize("name", ["nope.js", "index.html", "..%2Froutes.py", "routes.py"])
async def test_only_the_console_files_are_served(client: httpx.AsyncClient, name: str) -> None:
    reply = await client.get(f"/console/{name}")
    assert reply.status_code == 404


def test_the_scripts_load_nothing_from_elsewhere() -> None:
    for path in STATIC_DIR.iterdir():
        text = path.read_text()
        # import specifiers and page links are relative: no CDN, no absolute URL.
        assert not re.findall(r'from\s+"(?!\./)', text), path
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', text), path
        assert "innerHTML" not in text, path  # text only: nothing from the API is parsed as HTML


def test_every_console_file_ships_in_the_package() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = package_data["rest_compat.console"]
    for path in STATIC_DIR.iterdir():
        relative = path.relative_to(STATIC_DIR.parent).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
