"""GET / (the console page) and GET /console/{file} (its scripts and styles), with types and cache headers.

The page holds no data: it loads without a token and asks for one when the API answers UNAUTHENTICATED.
Each asset URL carries a hash of the asset's bytes (`?v=`), so browsers may keep it for a year while the
page itself is revalidated on every visit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSETS_PATH = "/console"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
}
PAGE_CACHE = "no-cache"
VERSIONED_CACHE = "public, max-age=31536000, immutable"
# Without the page's ?v=, the file may change under the same URL: revalidate.
UNVERSIONED_CACHE = "public, max-age=0, must-revalidate"
# Everything from sunoql itself. Media may come from Suno's own links while a song still streams.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob: https: http:",
        "connect-src 'self' ws: wss:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    version: str

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


@cache
def static_files(directory: Path = STATIC_DIR) -> dict[str, StaticFile]:
    """Every servable file of the console, read once: name → bytes, type and content hash."""
    files: dict[str, StaticFile] = {}
    for path in sorted(directory.iterdir()):
        media_type = MEDIA_TYPES.get(path.suffix)
        if media_type is None or not path.is_file() or path.name == "index.html":
            continue
        body = path.read_bytes()
        files[path.name] = StaticFile(body, media_type, hashlib.sha256(body).hexdigest()[:16])
    return files


@cache
def page(directory: Path = STATIC_DIR) -> StaticFile:
    """index.html with each `{asset:NAME}` replaced by the asset's versioned, relative URL."""
    text = (directory / "index.html").read_text(encoding="utf-8")
    for name, file in static_files(directory).items():
        text = text.replace(f"{{asset:{name}}}", f"console/{name}?v={file.version}")
    body = text.encode()
    return StaticFile(body, MEDIA_TYPES[".html"], hashlib.sha256(body).hexdigest()[:16])


def not_modified(request: Request, file: StaticFile) -> bool:
    return file.etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]


def file_response(request: Request, file: StaticFile, cache_control: str) -> Response:
    headers = {"Cache-Control": cache_control, "ETag": file.etag, **SECURITY_HEADERS}
    if not_modified(request, file):
        return Response(status_code=304, headers=headers)
    return Response(file.body, media_type=file.media_type, headers=headers)


def console_routes(directory: Path = STATIC_DIR) -> list[BaseRoute]:
    async def index(request: Request) -> Response:
        return file_response(request, page(directory), PAGE_CACHE)

    async def asset(request: Request) -> Response:
        file = static_files(directory).get(request.path_params["name"])
        if file is None:
            return PlainTextResponse("no such console file", status_code=404, headers=SECURITY_HEADERS)
        versioned = request.query_params.get("v") == file.version
        return file_response(request, file, VERSIONED_CACHE if versioned else UNVERSIONED_CACHE)

    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Route(f"{ASSETS_PATH}/{{name:str}}", asset, methods=["GET", "HEAD"]),
    ]
