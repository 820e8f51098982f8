"""GraphiQL for browsers, served entirely by sunoql (no CDN): the page and the locally fetched assets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/graphql/assets"
# Beside the packages (in site-packages once installed), git-ignored; written at install/build time.
ASSETS_DIR = Path(__file__).resolve().parent.parent / ".vendor" / "graphiql"
# What graphiql.html loads; ops/graphiql_assets.py fetches each from its pinned npm tarball.
ASSET_FILES = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)
FETCH_COMMAND = "python -m ops.graphiql_assets fetch"
_TEMPLATE = Path(__file__).with_name("graphiql.html")


def missing_assets(directory: Path = ASSETS_DIR) -> list[str]:
    return [name for name in ASSET_FILES if not (directory / name).is_file()]


@cache
def _page(assets_url: str) -> str:
    # str.replace, not format(): the page is full of JavaScript braces.
    return _TEMPLATE.read_text(encoding="utf-8").replace("{assets}", assets_url)


def graphiql_response(assets_dir: Path = ASSETS_DIR) -> HTMLResponse:
    missing = missing_assets(assets_dir)
    if missing:
        return HTMLResponse(
            "<!doctype html><title>GraphiQL not installed</title>"
            f"<p>GraphiQL's assets are not installed on this server (missing: {', '.join(missing)}).</p>"
            f"<p>Run <code>{FETCH_COMMAND}</code> where sunoql is installed. "
            "The GraphQL API itself works: POST queries to this URL.</p>",
            status_code=503,
        )
    # Relative to /graphql, so the page also works behind a path prefix.
    return HTMLResponse(_page("graphql/assets"))


def graphiql_asset_routes(assets_dir: Path = ASSETS_DIR) -> list[BaseRoute]:
    return [
        Mount(ASSETS_PATH, app=StaticFiles(directory=assets_dir, check_dir=False), name="graphiql-assets")
    ]
