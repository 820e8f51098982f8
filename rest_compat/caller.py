"""The caller's base URL, as Starlette computes it, made once per distinct (scheme, host, root path).

Links to playable copies are absolute on the caller's own host: every read of a song needs the base URL,
and Starlette builds it from several URL objects each time.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

# Distinct hosts a deployment is reached by are few; the bound only stops a client inventing Host headers.
MAX_KNOWN_BASES = 256
_known: dict[tuple[object, ...], str] = {}


def base_url(request: HTTPConnection) -> str:
    scope = request.scope
    host = next((value for name, value in scope.get("headers", ()) if name == b"host"), None)
    key = (
        scope.get("type"),
        scope.get("scheme"),
        host,
        scope.get("server"),
        scope.get("root_path", ""),
        scope.get("app_root_path"),
    )
    known = _known.get(key)
    if known is None:
        if len(_known) >= MAX_KNOWN_BASES:
            _known.clear()
        known = _known[key] = str(request.base_url)
    return known
