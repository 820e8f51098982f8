"""sunoapi.org's error shape: HTTP 200, `{"code", "msg", "data": null}` with the contract's code in the body.

Codes: 400 bad parameters, 401 unauthorized, 404 not found, 413 too long, 429 insufficient credits,
430 too frequent, 455 maintenance (Suno or the database unreachable), 500 server error; 501 for what needs a source
this door cannot take yet (an uploadUrl to fetch).
"""

from __future__ import annotations

import re

from rest_compat.failures import Failure, failure_for
from rest_compat.json_response import JSONResponse
from suno.errors import InvalidRequest

OK = 200
BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, TOO_LONG = 400, 401, 404, 413
NO_CREDITS, TOO_FREQUENT, MAINTENANCE, SERVER_ERROR, NOT_AVAILABLE = 429, 430, 455, 500, 501
# HTTP statuses of the shared failures → the contract's codes.
CODES = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    402: NO_CREDITS,
    429: TOO_FREQUENT,
    503: MAINTENANCE,
}
# The core's field names in a message → the contract's.
FIELD_NAMES = {
    "gpt_description_prompt": "prompt",
    "tags": "style",
    "negative_tags": "negativeTags",
    "mv": "model",
    "continue_clip_id": "audioId",
    "continue_at": "continueAt",
    "vocal_gender": "vocalGender",
    "webhookUrl": "callBackUrl",
}
_CORE_FIELD = re.compile(r"\b(" + "|".join(FIELD_NAMES) + r")\b")


class SunoapiError(Exception):
    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def bad(msg: str) -> SunoapiError:
    return SunoapiError(BAD_REQUEST, msg)


def code_and_message(error: Exception) -> tuple[int, str]:
    if isinstance(error, SunoapiError):
        return error.code, error.msg
    failure: Failure = failure_for(error)
    message = failure.message
    if isinstance(error, InvalidRequest):
        message = _CORE_FIELD.sub(lambda match: FIELD_NAMES[match.group(1)], message)
        if "too long" in message:
            return TOO_LONG, message
    if failure.status == 413:
        return TOO_LONG, message
    return CODES.get(failure.status, SERVER_ERROR), message


def reply(code: int, msg: str, data: object = None) -> JSONResponse:
    return JSONResponse({"code": code, "msg": msg, "data": data})


def error_reply(error: Exception) -> JSONResponse:
    code, msg = code_and_message(error)
    return reply(code, msg)
