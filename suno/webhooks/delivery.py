"""The delivery loop: claims due outbox rows, signs and posts them, records each attempt's outcome.

Retried with exponential backoff and jitter for up to 24 hours on timeouts, connection errors, 5xx and
429; any other answer (a 4xx, a redirect, which is never followed) ends the delivery. Each claim is a
lease with its own token, so two replicas on one database deliver each event once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from suno.models import Task
from suno.observer import NO_OBSERVER, Observer
from suno.store import TaskStore
from suno.store.webhook_outbox import DELIVERED, FAILED, PENDING, Attempt, DeliveryClaim
from suno.webhooks.bodies import Renderer
from suno.webhooks.guard import TargetRefused, pin_target
from suno.webhooks.signing import Signer

log = logging.getLogger("suno.webhooks")

RETRY_FOR_SECONDS = 24 * 3600.0
# Delivered and failed events stay visible (Task.webhookDeliveries) this long, then are pruned hourly.
KEEP_SECONDS = 7 * 24 * 3600.0
PRUNE_EVERY_SECONDS = 3600.0
MAX_DELAY_SECONDS = 3600.0
USER_AGENT = "sunoql-webhooks/1"
# Outcomes as metrics count them.
OK, RETRY, GAVE_UP, REFUSED, REJECTED = "delivered", "retry", "gave_up", "refused", "rejected"


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    concurrency: int = 4  # WEBHOOK_CONCURRENCY
    timeout: float = 15.0  # WEBHOOK_TIMEOUT
    allow_private: bool = False  # WEBHOOK_ALLOW_PRIVATE
    retry_base: float = 5.0  # WEBHOOK_RETRY_BASE: the first retry's delay; doubles each time
    poll_interval: float = 1.0
    retry_for: float = RETRY_FOR_SECONDS


def retry_delay(attempts: int, base: float, rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped at an hour, then between 50% and 100% of it."""
    delay: float = min(base * 2.0 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)
    return delay * (0.5 + 0.5 * rng())


def _stage_order(claim: DeliveryClaim) -> int:
    return claim.delivery.position


class WebhookDispatcher:
    def __init__(
        self,
        store: TaskStore,
        signer: Signer,
        renderers: Mapping[str, Renderer],
        options: DeliveryOptions = DeliveryOptions(),
        *,
        observer: Observer = NO_OBSERVER,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.outbox = store.webhooks
        self.signer = signer
        self.renderers = renderers
        self.options = options
        self.observer = observer
        self.owner = owner or f"webhooks-{uuid.uuid4().hex[:8]}"
        self._clock = clock
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=options.timeout,
            follow_redirects=False,
            trust_env=False,  # a proxy would resolve the name itself, around the guard
            headers={"user-agent": USER_AGENT},
        )
        self._slots = asyncio.Semaphore(options.concurrency)
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._next_prune = 0.0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="webhook-deliveries")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        """Let the attempts in flight finish and record their outcome (at most a timeout), then stop."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), self.options.timeout + 1.0)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        await self._client.aclose()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("webhook delivery round failed; trying again")
                busy = 0
            if busy == 0 and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.options.poll_interval)

    async def run_once(self) -> int:
        """Deliver what is due now (at most WEBHOOK_CONCURRENCY at once); the number attempted."""
        now = self._clock()
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY_SECONDS
            await self.outbox.prune(now - KEEP_SECONDS)
        lease = self.options.timeout + 30.0
        claims = await self.outbox.claim_due(self.owner, lease, self.options.concurrency * 2)
        # One task's events go in order (text, first, complete), each after the earlier one delivered;
        # the outbox hands out a later event only once no earlier one is pending. Tasks in parallel.
        by_task: dict[str, list[DeliveryClaim]] = {}
        for claim in sorted(claims, key=_stage_order):
            by_task.setdefault(claim.delivery.task_id, []).append(claim)
        if by_task:
            await asyncio.gather(*(self._in_order(group) for group in by_task.values()))
        return len(claims)

    async def _in_order(self, claims: list[DeliveryClaim]) -> None:
        for claim in claims:
            try:
                await self._attempt(claim)
            except Exception:
                # A bug (or the database failing) must not stop the other deliveries; this one is tried
                # again once its lease runs out.
                log.exception("webhook %s: the attempt failed unexpectedly", claim.delivery.id)

    async def _attempt(self, claim: DeliveryClaim) -> None:
        async with self._slots:
            delivery = claim.delivery
            started = time.perf_counter()
            now = self._clock()
            body = delivery.body
            if body is None:
                task = await self.store.get(delivery.task_id)
                body = await self._render(task, delivery.format, delivery.stage)
                if body is None:
                    await self._finish(
                        claim,
                        Attempt(now, None, "the task or its body format is gone", 0.0),
                        FAILED,
                        REJECTED,
                    )
                    return
                await self.outbox.keep_body(claim, body)
            status_code, error, retryable = await self._post(delivery.url, delivery.id, body)
            attempt = Attempt(now, status_code, error, round(time.perf_counter() - started, 4))
            if error is None:
                await self._finish(claim, attempt, DELIVERED, OK)
            elif not retryable:
                await self._finish(claim, attempt, FAILED, REFUSED if status_code is None else REJECTED)
                log.warning("webhook %s to task %s failed for good: %s", delivery.id, delivery.task_id, error)
            elif now - delivery.created_at >= self.options.retry_for:
                await self._finish(claim, attempt, FAILED, GAVE_UP)
                log.warning(
                    "webhook %s gave up after %d attempts: %s", delivery.id, delivery.attempts + 1, error
                )
            else:
                next_at = now + retry_delay(delivery.attempts + 1, self.options.retry_base)
                await self._finish(claim, attempt, PENDING, RETRY, next_at)

    async def _finish(
        self, claim: DeliveryClaim, attempt: Attempt, state: str, outcome: str, next_at: float | None = None
    ) -> None:
        if not await self.outbox.record(claim, attempt, state, next_at):
            log.warning("webhook %s: lease lost before its outcome was stored", claim.delivery.id)
        self.observer.webhook_attempt(outcome, attempt.seconds)

    async def _render(self, task: Task | None, body_format: str, stage: str) -> str | None:
        renderer = self.renderers.get(body_format)
        if task is None or renderer is None:
            return None
        return json.dumps(await renderer(task, stage), separators=(",", ":"), ensure_ascii=False)

    async def _post(self, url: str, message_id: str, body: str) -> tuple[int | None, str | None, bool]:
        """(status code, error or None, whether to retry). The whole attempt, DNS included, is bounded
        by WEBHOOK_TIMEOUT, so it always ends well inside its lease."""
        try:
            async with asyncio.timeout(self.options.timeout):
                return await self._post_pinned(url, message_id, body)
        except TimeoutError:
            return None, f"no answer within {self.options.timeout:g} s", True

    async def _post_pinned(self, url: str, message_id: str, body: str) -> tuple[int | None, str | None, bool]:
        try:
            target = await pin_target(url, allow_private=self.options.allow_private)
        except TargetRefused as refused:
            return None, str(refused), refused.retryable
        headers = self.signer.headers(message_id, int(self._clock()), body)
        headers |= {"content-type": "application/json", "host": target.host_header}
        extensions = {"sni_hostname": target.server_name} if target.server_name else {}
        request = self._client.build_request(
            "POST", target.url, content=body.encode(), headers=headers, extensions=extensions
        )
        try:
            # Streamed and closed unread: a receiver's reply body is never loaded, however large.
            response = await self._client.send(request, stream=True)
            await response.aclose()
        except httpx.TimeoutException:
            return None, f"no answer within {self.options.timeout:g} s", True
        except httpx.HTTPError as error:
            return None, f"could not connect: {type(error).__name__}", True
        code = response.status_code
        if 200 <= code < 300:
            return code, None, False
        if 300 <= code < 400:
            return code, f"answered {code}, a redirect (redirects are not followed)", False
        retryable = code == 429 or code >= 500
        return code, f"answered {code}", retryable
