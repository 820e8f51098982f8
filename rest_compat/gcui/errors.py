"""gcui's error shape, `{"error": "..."}` with the HTTP status, from the failures every REST door shares.

gcui answers 400 for a missing field, 402 when Suno has no credits left, and passes other upstream
statuses through; sunoql's statuses come from `rest_compat.failures` (404 for an unknown clip, 429
when Suno is busy, 502/503 when Suno refuses or is unreachable, 503 with Retry-After while the
database is away). A message names gcui's fields (`model`, `audio_id`), not the core's.
"""

from __future__ import annotations

import re

from rest_compat.failures import UNAUTHORIZED, Failure, RestFailure, bad_request, failure_for
from rest_compat.json_response import JSONResponse
from suno.errors import InvalidRequest

__all__ = ["UNAUTHORIZED", "RestFailure", "bad_request", "error_reply", "gcui_failure"]

# The core's field names in a message → the names a gcui client sent.
FIELD_NAMES = {"mv": "model", "continue_clip_id": "audio_id"}
_CORE_FIELD = re.compile(r"\b(" + "|".join(FIELD_NAMES) + r")\b")


def gcui_failure(error: Exception, *, description_field: bool = False) -> Failure:
    """The failure for `error`; with `description_field`, the body's `prompt` was the description."""
    failure = failure_for(error)
    if not isinstance(error, InvalidRequest):
        return failure
    message = _CORE_FIELD.sub(lambda match: FIELD_NAMES[match.group(1)], failure.message)
    if description_field:
        message = message.replace("gpt_description_prompt", "prompt")
    return Failure(failure.status, message, failure.relay_code, failure.headers)


def error_reply(failure: Failure) -> JSONResponse:
    return JSONResponse(
        {"error": failure.message}, status_code=failure.status, headers=failure.headers or None
    )
