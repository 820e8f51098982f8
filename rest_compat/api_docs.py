"""What /openapi.json says of sunoql as a whole: its title and description, and the routes app.py serves itself."""

from __future__ import annotations

from starlette.routing import Route

from rest_compat.legacy.docs import PING
from rest_compat.openapi import ApiInfo, Operation, openapi_route
from suno.version import VERSION

API_INFO = ApiInfo(
    title="sunoql",
    version=VERSION,
    description="The original Suno API's REST contract (`/suno/*`) and the OpenAI-compatible routes (`/v1/*`). "
    "GraphQL is served at /graphql.",
)
# Plain routes of the composition root that the document describes; /ping is the original contract's.
APP_ROUTES: dict[tuple[str, str], Operation] = {("/ping", "GET"): PING}


def openapi_document_route(path: str = "/openapi.json") -> Route:
    """The document of every door's DocumentedRoutes in the app it is mounted in (see `openapi_route`)."""
    return openapi_route(path, API_INFO, external=APP_ROUTES)
