"""The webhook pieces built from settings: the submit-time policy and the delivery loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from suno.assets.links import AssetLinks
from suno.config import Settings
from suno.observer import NO_OBSERVER, Observer
from suno.store import TaskStore
from suno.webhooks.bodies import Renderer, sunoql_renderer
from suno.webhooks.delivery import DeliveryOptions, WebhookDispatcher
from suno.webhooks.policy import SUNOQL_FORMAT, WebhookPolicy
from suno.webhooks.signing import Signer

# A door's body format: given the clip links and the public base URL, its renderer.
RendererFactory = Callable[[AssetLinks, str], Renderer]


def webhook_policy(settings: Settings) -> WebhookPolicy:
    return WebhookPolicy(enabled=bool(settings.webhook_secret), allow_private=settings.webhook_allow_private)


def delivery_options(settings: Settings) -> DeliveryOptions:
    return DeliveryOptions(
        concurrency=settings.webhook_concurrency,
        timeout=settings.webhook_timeout,
        allow_private=settings.webhook_allow_private,
        retry_base=settings.webhook_retry_base,
    )


def build_webhooks(
    settings: Settings,
    store: TaskStore,
    links: AssetLinks,
    door_formats: Mapping[str, RendererFactory],
    *,
    observer: Observer = NO_OBSERVER,
) -> WebhookDispatcher | None:
    """The delivery loop, or None while WEBHOOK_SECRET is unset (the policy then refuses webhook URLs)."""
    if not settings.webhook_secret:
        return None
    base_url = settings.public_base_url.rstrip("/")
    renderers: dict[str, Renderer] = {SUNOQL_FORMAT: sunoql_renderer(links, base_url)}
    renderers |= {name: factory(links, base_url) for name, factory in door_formats.items()}
    return WebhookDispatcher(
        store, Signer(settings.webhook_secret), renderers, delivery_options(settings), observer=observer
    )
