"""An offline webhook receiver: a real HTTP server on loopback that records every delivery it gets.

async with webhook_receiver(answers=[500, 500]) as receiver:   # 500 twice, then 200
    ... submit with webhookUrl=receiver.url ...
    hits = await eventually(lambda: receiver.for_stage("complete"))
    receiver.verify(hits[0], SECRET)                            # the Standard Webhooks check
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ops.background_server import serve_in_background

HANG = 0
# A test secret in the whsec_ form (base64 of 24 bytes).
TEST_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    base_url: str = ""
    hits: list[Hit] = field(default_factory=list)
    # Statuses to answer, in order, before answering 200 for good; HANG: answer nothing for 5 s.
    answers: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def stages(self) -> list[str]:
        return [stage_of(hit) for hit in self.hits if hit.answered == 200]

    def for_stage(self, stage: str) -> list[Hit]:
        return [hit for hit in self.hits if stage_of(hit) == stage]

    @staticmethod
    def verify(hit: Hit, secret: str = TEST_WEBHOOK_SECRET) -> Any:
        """The body parsed, once the signature verifies (raises WebhookVerificationError otherwise)."""
        return Webhook(secret).verify(hit.body, hit.headers)


def stage_of(hit: Hit) -> str:
    body = hit.json
    if isinstance(body.get("type"), str):  # sunoql's own shape
        return str(body["type"]).removeprefix("task.")
    return str(body.get("data", {}).get("callbackType", ""))  # sunoapi.org's callbacks


@contextlib.asynccontextmanager
async def webhook_receiver(answers: Iterable[int] = (), port: int = 0) -> AsyncIterator[Receiver]:
    """A receiver on a free loopback port (or `port`: a test may aim webhooks at it before it listens)."""
    receiver = Receiver(answers=list(answers))

    async def hook(request: Request) -> Response:
        status = receiver.answers.pop(0) if receiver.answers else 200
        receiver.hits.append(Hit(request.url.path, dict(request.headers), await request.body(), status))
        if status == HANG:
            await asyncio.sleep(5)
            status = 200
        return Response(status_code=status)

    app = Starlette(
        routes=[Route("/hook", hook, methods=["POST"]), Route("/redirect", redirect, methods=["POST"])]
    )
    async with serve_in_background(app, "127.0.0.1", port, announce=False) as base_url:
        receiver.base_url = base_url
        yield receiver


async def redirect(_request: Request) -> Response:
    return Response(status_code=307, headers={"location": "http://169.254.169.254/latest/meta-data"})
