"""CORS as Starlette's CORSMiddleware answers it, without its per-request header objects on the common path.

Most requests (API clients, relays, probes) carry no Origin: they only gain `Vary: Origin`, which the
request context layer adds to the raw header list it already rewrites (`vary_origin`), so they pass one
layer instead of two. Requests with an Origin, and preflights, take Starlette's own code unchanged
(`cors_layer`).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

VARY = b"vary"
ORIGIN = b"origin"


def cors_layer(app: ASGIApp, allow_origins: Sequence[str], **options: object) -> CORSMiddleware:
    return CORSMiddleware(app, allow_origins=allow_origins, **options)  # type: ignore[arg-type]


def vary_origin(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`Vary: Origin` appended to a Vary the response has (Starlette joins them the same way)."""
    for index, (name, _value) in enumerate(headers):
        if name.lower() == VARY:
            joined = ", ".join([*Headers(raw=headers).getlist("vary"), "Origin"]).encode("latin-1")
            rest = [header for header in headers[index + 1 :] if header[0].lower() != VARY]
            return [*headers[:index], (VARY, joined), *rest]
    headers.append((VARY, b"Origin"))
    return headers
