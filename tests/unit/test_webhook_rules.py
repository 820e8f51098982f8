"""Webhook rules that need no server: stages, the URL policy, backoff, signatures, the secret's form."""

from __future__ import annotations

import ipaddress

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from suno.config import Settings
from suno.errors import InvalidRequest, SettingsError
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus
from suno.store.webhook_outbox import new_stages, reached_stages
from suno.webhooks.delivery import MAX_DELAY_SECONDS, retry_delay
from suno.webhooks.guard import TargetRefused, pin_target
from suno.webhooks.policy import WebhookPolicy, is_public
from suno.webhooks.signing import Signer
from tests.support.webhook_receiver import TEST_WEBHOOK_SECRET


def song(status: TaskStatus, *clip_states: str, url: str | None = "https://example.com/h") -> Task:
    clips = tuple(Clip(id=f"c{i}", status=state) for i, state in enumerate(clip_states))
    return Task(
        id="t", action=TaskAction.MUSIC, status=status, request=MusicRequest(), clips=clips, webhook_url=url
    )


def test_stages_follow_the_clips_and_the_status() -> None:
    assert reached_stages(song(TaskStatus.SUBMITTED, "submitted", "submitted")) == []
    assert reached_stages(song(TaskStatus.IN_PROGRESS, "streaming", "queued")) == ["text"]
    assert reached_stages(song(TaskStatus.IN_PROGRESS, "complete", "streaming")) == ["text", "first"]
    assert reached_stages(song(TaskStatus.SUCCESS, "complete", "complete")) == ["text", "first", "complete"]
    assert reached_stages(song(TaskStatus.FAILURE, "error", "error")) == ["error"]


def test_a_change_writes_only_the_stages_it_reached_first_and_none_without_a_url() -> None:
    before = song(TaskStatus.IN_PROGRESS, "streaming", "streaming")
    after = song(TaskStatus.SUCCESS, "complete", "complete")
    assert new_stages(before, after) == ["first", "complete"]
    assert new_stages(after, after) == []
    assert new_stages(before, song(TaskStatus.SUCCESS, "complete", "complete", url=None)) == []
    # A task that jumps to its end still tells every stage, in order.
    assert new_stages(song(TaskStatus.SUBMITTED), after) == ["text", "first", "complete"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://api.localhost/hook",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
    ],
)
def test_loopback_and_private_targets_are_refused_with_a_clear_message(url: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        WebhookPolicy(enabled=True).check(url)
    assert "WEBHOOK_ALLOW_PRIVATE=true" in refused.value.message
    assert refused.value.field == "webhookUrl"
    assert WebhookPolicy(enabled=True, allow_private=True).check(url) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/x", "http:// or https://"),
        ("https:///x", "with a host"),
        ("https://user:pw@example.com/x", "user name or password"),
        ("https://example.com:99999/x", "not a valid URL"),
        ("https://example.com/" + "a" * 3000, "too long"),
    ],
)
def test_a_url_that_cannot_be_a_target_is_refused(url: str, words: str) -> None:
    with pytest.raises(InvalidRequest, match=words):
        WebhookPolicy(enabled=True).check(url, "callback_url")


def test_without_a_secret_webhooks_are_refused_and_say_what_to_set() -> None:
    with pytest.raises(InvalidRequest, match="WEBHOOK_SECRET"):
        WebhookPolicy().check("https://example.com/hook")


async def test_the_guard_checks_the_resolved_address_and_pins_it() -> None:
    with pytest.raises(TargetRefused, match="WEBHOOK_ALLOW_PRIVATE"):
        await pin_target("http://127.0.0.1:8123/hook?a=1", allow_private=False)
    pinned = await pin_target("http://127.0.0.1:8123/hook?a=1", allow_private=True)
    assert pinned.url == "http://127.0.0.1:8123/hook?a=1"
    assert pinned.host_header == "127.0.0.1:8123"
    assert pinned.server_name is None


def test_public_means_global_unicast() -> None:
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    for private in ("192.168.1.1", "100.64.0.1", "fd00::1", "224.0.0.1", "::ffff:10.0.0.1"):
        assert not is_public(ipaddress.ip_address(private)), private


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    assert retry_delay(1, 5.0, rng=lambda: 1.0) == 5.0
    assert retry_delay(1, 5.0, rng=lambda: 0.0) == 2.5
    assert retry_delay(3, 5.0, rng=lambda: 1.0) == 20.0
    assert retry_delay(40, 5.0, rng=lambda: 1.0) == MAX_DELAY_SECONDS


def test_signatures_verify_with_the_standard_algorithm_and_fail_when_tampered() -> None:
    import time

    body = '{"type":"task.complete"}'
    now = int(time.time())
    headers = Signer(TEST_WEBHOOK_SECRET).headers("msg_1", now, body)
    assert headers["webhook-id"] == "msg_1" and headers["webhook-timestamp"] == str(now)
    assert headers["webhook-signature"].startswith("v1,")
    assert StandardWebhook(TEST_WEBHOOK_SECRET).verify(body, headers) == {"type": "task.complete"}
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(TEST_WEBHOOK_SECRET).verify(body.replace("complete", "error"), headers)


@pytest.mark.parametrize("secret", ["abc", "whsec_", "whsec_!!!notbase64", "whsec_c2hvcnQ="])
def test_a_webhook_secret_not_in_whsec_form_is_a_settings_error(secret: str) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET") as error:
        Settings.from_env({"WEBHOOK_SECRET": secret})
    assert secret not in str(error.value) or secret == "whsec_"
    assert Settings.from_env({"WEBHOOK_SECRET": TEST_WEBHOOK_SECRET}).webhook_secret == TEST_WEBHOOK_SECRET


@pytest.mark.parametrize("size", [16, 24, 32, 64])
def test_a_key_of_any_length_with_or_without_padding_is_accepted_and_signs(size: int) -> None:
    import base64
    import os

    encoded = base64.b64encode(os.urandom(size)).decode()
    for secret in (f"whsec_{encoded}", f"whsec_{encoded.rstrip('=')}"):
        assert Settings.from_env({"WEBHOOK_SECRET": secret}).webhook_secret == secret
        Signer(secret).headers("msg_1", 1, "{}")


def test_each_attempt_is_counted_by_outcome_in_the_metrics() -> None:
    from ops.metrics import Metrics
    from ops.metrics_observer import MetricsObserver

    metrics = Metrics()
    observer = MetricsObserver(metrics)
    observer.webhook_attempt("retry", 0.2)
    observer.webhook_attempt("delivered", 0.1)
    observer.webhook_attempt("delivered", 0.1)
    sample = metrics.registry.get_sample_value
    assert sample("sunoql_webhook_attempts_total", {"outcome": "delivered"}) == 2
    assert sample("sunoql_webhook_attempts_total", {"outcome": "retry"}) == 1
    assert sample("sunoql_webhook_attempt_duration_seconds_count") == 3
