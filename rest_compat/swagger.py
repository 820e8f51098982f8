"""Swagger UI (at /swagger/index.html in app.py), every asset served from the installed swagger-ui-bundle (no CDN)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

# Our own page and initializer; the bundle's index.html points at the Petstore demo.
INDEX_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>sunoql API</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script src="swagger-initializer.js"></script>
</body>
</html>
"""

INITIALIZER_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "%(openapi_url)s",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    // The default validator badge calls validator.swagger.io: many deployments are offline.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
};
"""


def swagger_assets_dir() -> Path:
    return Path(str(swagger_ui_path))


def swagger_routes(path: str = "/swagger", openapi_url: str = "../openapi.json") -> list[BaseRoute]:
    """The page, its initializer, the original's doc.json, then the bundle's static files, all under `path`.

    `openapi_url` is relative to `path` + "/" so the page still works behind a path prefix.
    """
    initializer = INITIALIZER_JS % {"openapi_url": openapi_url}
    folder = path.rstrip("/").rsplit("/", 1)[-1]

    async def index(_request: Request) -> HTMLResponse:
        return HTMLResponse(INDEX_HTML)

    async def initializer_js(_request: Request) -> Response:
        return Response(initializer, media_type="text/javascript")

    # Relative redirects, so they also work behind a reverse proxy's path prefix.
    async def to_index(request: Request) -> RedirectResponse:
        target = "index.html" if request.url.path.endswith("/") else f"{folder}/index.html"
        return RedirectResponse(target, status_code=307)

    async def doc_json(_request: Request) -> RedirectResponse:
        # gin-swagger served the document here; keep the old address working.
        return RedirectResponse(openapi_url, status_code=307)

    return [
        Route(path, to_index, methods=["GET"]),
        Route(f"{path}/", to_index, methods=["GET"]),
        Route(f"{path}/index.html", index, methods=["GET"]),
        Route(f"{path}/swagger-initializer.js", initializer_js, methods=["GET"]),
        Route(f"{path}/doc.json", doc_json, methods=["GET"]),
        Mount(path, app=StaticFiles(directory=swagger_assets_dir()), name="swagger-assets"),
    ]
