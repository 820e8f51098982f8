"""The legacy REST envelope ({code, message, data}) in its two forms; core errors become `Failure`s in
`rest_compat.failures`.

README (default):  {"code": 200, "message": "success", "data": …}; errors carry the HTTP status as code.
relay:             {"code": "success", "message": "", "data": …}; errors carry a word such as
                   "invalid_request" — new-api/one-api accept a reply only when code == "success".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_compat.failures import UNAUTHORIZED, Failure, RestFailure, bad_request, failure_for
from rest_compat.json_response import JSONResponse
from suno.config import RestEnvelope

__all__ = ["UNAUTHORIZED", "Envelope", "Failure", "RestFailure", "bad_request", "failure_for"]


@dataclass(frozen=True, slots=True)
class Envelope:
    mode: RestEnvelope = RestEnvelope.README

    def ok(self, data: Any) -> JSONResponse:
        if self.mode is RestEnvelope.RELAY:
            return JSONResponse({"code": "success", "message": "", "data": data})
        return JSONResponse({"code": 200, "message": "success", "data": data})

    def fail(self, failure: Failure) -> JSONResponse:
        code: int | str = failure.relay_code if self.mode is RestEnvelope.RELAY else failure.status
        return JSONResponse(
            {"code": code, "message": failure.message, "data": None},
            status_code=failure.status,
            headers=failure.headers or None,
        )
