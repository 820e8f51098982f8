"""Account health: one event per change (never for a repeated state), current states first, alert bodies."""

from __future__ import annotations

import asyncio

from suno.challenges.alerts import alert_body, webhook_urls
from suno.challenges.health import AccountEvent, AccountHealth, HealthBoard
from suno.models import AccountState


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_change_is_one_event_and_a_repeat_none() -> None:
    board = HealthBoard(Clock())
    heard: list[AccountEvent] = []
    board.add_listener(heard.append)
    assert board.review("a", AccountHealth(AccountState.HEALTHY)) is None  # starting healthy is no news
    event = board.review("a", AccountHealth(AccountState.CHALLENGE_REQUIRED, "asks", 2))
    assert (
        event is not None and event.previous_state is AccountState.HEALTHY and event.challenge_provider == 2
    )
    assert board.review("a", AccountHealth(AccountState.CHALLENGE_REQUIRED, "asks again", 2)) is None
    current = board.current("a")
    assert current is not None and current.reason == "asks again" and current.since == event.since
    board.review("a", AccountHealth(AccountState.HEALTHY))
    assert [e.state for e in heard] == [AccountState.CHALLENGE_REQUIRED, AccountState.HEALTHY]


def test_a_listener_that_raises_does_not_stop_the_others() -> None:
    board = HealthBoard(Clock())
    heard: list[AccountEvent] = []

    def broken(_event: AccountEvent) -> None:
        raise RuntimeError("boom")

    board.add_listener(broken)
    board.add_listener(heard.append)
    board.review("a", AccountHealth(AccountState.RATE_LIMITED))
    assert len(heard) == 1


async def test_subscribers_get_every_current_state_then_the_changes() -> None:
    board = HealthBoard(Clock())
    board.review("a", AccountHealth(AccountState.OUT_OF_CREDITS, "0 credits"))
    events = board.events(["a", "b"])
    first = [await anext(events), await anext(events)]
    assert [(e.account, e.state) for e in first] == [
        ("a", AccountState.OUT_OF_CREDITS),
        ("b", AccountState.HEALTHY),
    ]
    board.review("b", AccountHealth(AccountState.REAUTH_REQUIRED, "login expired"))
    change = await asyncio.wait_for(anext(events), 1)
    # "b" was shown healthy before its first check: its first change says it came from there.
    assert (change.account, change.state, change.previous_state) == (
        "b",
        AccountState.REAUTH_REQUIRED,
        AccountState.HEALTHY,
    )
    assert board.subscriber_count == 1
    await events.aclose()  # type: ignore[attr-defined]
    assert board.subscriber_count == 0


def test_an_alert_reads_as_text_in_slack_and_discord() -> None:
    event = AccountEvent(
        "main", AccountState.CHALLENGE_REQUIRED, AccountState.HEALTHY, 1_800_000_000.0, "why", 2
    )
    body = alert_body(event)
    assert body["text"] == body["content"]
    assert body["text"].startswith(
        "sunoql: account main is CHALLENGE_REQUIRED (was HEALTHY); Suno asks for a Turnstile challenge"
    )
    assert body["since"] == "2027-01-15T08:00:00+00:00" and body["state"] == "CHALLENGE_REQUIRED"


def test_webhook_urls_are_comma_separated() -> None:
    assert webhook_urls(" https://a.test/x , ,https://b.test/y") == ["https://a.test/x", "https://b.test/y"]
