"""The served app when Suno asks for a captcha: songs wait (relay, solver service) or fail and recover (none)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import gql
from gql.transport.websockets import WebsocketsTransport

from simulator import SimulatorState
from suno.config import CaptchaSolver, Settings, UpstreamMode
from tests.e2e.test_graphql_subscriptions import ws_client
from tests.support.app import RunningApp, running_app
from tests.support.eventually import eventually
from tests.support.http_streams import SSE_ACCEPT, sse_events
from tests.support.simulator import running_simulator
from tests.support.webhooks import fake_solver, webhook_receiver

TOKEN = "challenge-test-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WAITING = "waiting for a captcha solution on account default"
SONG = {"prompt": "[Verse] the captcha song", "tags": "pop", "title": "Captcha"}
EVENTS = "subscription { accountEvents { account state previousState since reason challengeProvider } }"


@contextlib.asynccontextmanager
async def served(settings: Settings, **overrides: Any) -> AsyncIterator[tuple[RunningApp, httpx.AsyncClient]]:
    settings = settings.with_overrides(secret_token=TOKEN, **overrides)
    async with (
        running_app(settings) as app,
        httpx.AsyncClient(base_url=app.base_url, headers=AUTH, timeout=30) as http,
    ):
        yield app, http


def simulator_of(app: RunningApp) -> SimulatorState:
    assert app.runtime.simulator is not None
    return app.runtime.simulator.app.state


async def graphql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    reply = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in reply, reply
    return reply["data"]  # type: ignore[no-any-return]


async def submit_song(http: httpx.AsyncClient) -> str:
    reply = (await http.post("/suno/submit/music", json=SONG)).json()
    assert reply["code"] == 200, reply
    return str(reply["data"])


async def rest_task(http: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    reply = (await http.post("/suno/fetch", json={"ids": [task_id]})).json()
    return reply["data"][0]  # type: ignore[no-any-return]


async def task_finished(http: httpx.AsyncClient, task_id: str) -> None:
    task = await rest_task(http, task_id)
    assert task["status"] == "SUCCESS", task


async def account_events(http: httpx.AsyncClient, seen: list[dict[str, Any]]) -> None:
    """Follows accountEvents over graphql-sse, appending each event, until cancelled."""
    async with http.stream(
        "POST", "/graphql", json={"query": EVENTS}, headers={"Accept": SSE_ACCEPT}, timeout=None
    ) as response:
        async for event in sse_events(response):
            if event.event == "next":
                seen.append(event.data["data"]["accountEvents"])


async def test_relay_parks_the_song_until_a_person_hands_in_a_token(settings: Settings) -> None:
    async with webhook_receiver() as hook:
        overrides = {"captcha_solver": CaptchaSolver.RELAY, "alert_webhook_url": hook.url}
        async with served(settings, **overrides) as (app, http):
            sim = simulator_of(app)
            sim.challenges.set("default", required=True, version=2)
            credits = sim.account("default").credits
            seen: list[dict[str, Any]] = []
            follower = asyncio.create_task(account_events(http, seen))
            await eventually(lambda: seen, message="the current state first")
            assert seen[0]["state"] == "HEALTHY" and seen[0]["account"] == "default"

            task_id = await submit_song(http)
            task = await rest_task(http, task_id)
            assert (task["status"], task["waiting_reason"]) == ("NOT_START", WAITING)
            query = "query($id: ID!) { task(id: $id) { status waitingReason } }"
            assert (await graphql(http, query, id=task_id))["task"] == {
                "status": "NOT_START",
                "waitingReason": WAITING,
            }
            await eventually(lambda: any(e["state"] == "CHALLENGE_REQUIRED" for e in seen))
            challenged = next(e for e in seen if e["state"] == "CHALLENGE_REQUIRED")
            assert challenged["challengeProvider"] == 2 and challenged["previousState"] == "HEALTHY"
            await eventually(lambda: hook.posts, message="the alert")
            assert "hand a token in with solveChallenge" in hook.posts[0]["text"]
            assert (
                "CHALLENGE_REQUIRED" in hook.posts[0]["text"]
                and hook.posts[0]["content"] == hook.posts[0]["text"]
            )
            accounts = (await http.get("/suno/account")).json()["data"]["accounts"]
            assert accounts[0]["state"] == "CHALLENGE_REQUIRED" and accounts[0]["state_since"]
            assert accounts[0]["healthy"] is False and "captcha" in accounts[0]["unusable_reason"]
            await asyncio.sleep(0.3)  # several worker ticks: still parked, nothing spent
            assert (await rest_task(http, task_id))["status"] == "NOT_START"
            assert sim.account("default").credits == credits and sim.calls["generate"] == 0

            mutation = (
                'mutation($t: String!) { solveChallenge(account: "default", token: $t, provider: 2) '
                "{ name state challengeProvider } }"
            )
            solved = await graphql(http, mutation, t="0.turnstile-solved-by-a-person")
            assert solved["solveChallenge"]["state"] == "HEALTHY"
            await eventually(lambda: task_finished(http, task_id), timeout=20)
            assert sim.challenges.accepted == [{"account": "default", "token_provider": 2}]
            assert sim.account("default").credits == credits - 10
            await eventually(lambda: any(e["state"] == "HEALTHY" and e["previousState"] for e in seen))
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
        challenge_alerts = [post for post in hook.posts if post["state"] == "CHALLENGE_REQUIRED"]
        assert len(challenge_alerts) == 1, hook.posts


async def test_rest_hands_a_token_in_and_rejects_a_bad_provider(settings: Settings) -> None:
    async with served(settings, captcha_solver=CaptchaSolver.RELAY) as (app, http):
        sim = simulator_of(app)
        sim.challenges.set("default", required=True, version=1)
        task_id = await submit_song(http)
        assert (await rest_task(http, task_id))["waiting_reason"] == WAITING
        bad = await http.post(
            "/suno/account/challenge", json={"account": "default", "token": "P1_x", "provider": 3}
        )
        assert bad.json()["code"] == 400 and "provider" in bad.json()["message"]
        unknown = await http.post(
            "/suno/account/challenge", json={"account": "nobody", "token": "P1_x", "provider": 1}
        )
        assert unknown.json()["code"] == 400
        reply = await http.post(
            "/suno/account/challenge", json={"account": "default", "token": "P1_solved", "provider": 1}
        )
        assert reply.json()["code"] == 200 and reply.json()["data"]["state"] == "HEALTHY"
        assert "P1_solved" not in reply.text
        await eventually(lambda: task_finished(http, task_id), timeout=20)
        assert sim.challenges.accepted == [{"account": "default", "token_provider": 1}]


async def test_a_solver_service_solves_the_challenge_with_no_person(settings: Settings) -> None:
    async with fake_solver("0.solved-by-the-service") as solver:
        overrides = {
            "captcha_solver": CaptchaSolver.TWO_CAPTCHA,
            "captcha_solver_url": solver.url,
            "captcha_solver_key": "solver-key-123456",
            "captcha_turnstile_sitekey": "0x4AAAAAAsunoSiteKey",
            "captcha_poll_interval": 0.05,
        }
        async with served(settings, **overrides) as (app, http):
            sim = simulator_of(app)
            sim.challenges.set("default", required=True, version=2)
            credits = sim.account("default").credits
            task_id = await submit_song(http)
            assert (await rest_task(http, task_id))["waiting_reason"] == WAITING
            await eventually(lambda: task_finished(http, task_id), timeout=20)
            metrics = (await http.get("/metrics")).text
        assert solver.tasks == [
            {
                "type": "TurnstileTaskProxyless",
                "websiteURL": "https://suno.com/create",
                "websiteKey": "0x4AAAAAAsunoSiteKey",
            }
        ]
        assert sim.challenges.accepted == [{"account": "default", "token_provider": 2}]
        assert sim.account("default").credits == credits - 10
        assert 'sunoql_captcha_solve_cost_total{solver="2captcha"} 0.00145' in metrics
        assert 'sunoql_captcha_solve_duration_seconds_count{outcome="ok",solver="2captcha"} 1.0' in metrics


async def test_without_a_solver_the_rest_ends_within_a_tick_of_suno_no_longer_asking(
    settings: Settings,
) -> None:
    async with served(settings) as (app, http):
        sim = simulator_of(app)
        sim.challenges.set("default", required=True, version=1)
        refused = (await http.post("/suno/submit/music", json=SONG)).json()
        assert refused["code"] == 502 and "captcha" in refused["message"].lower()
        assert sim.calls["generate"] == 0
        account = (await http.get("/suno/account")).json()["data"]["accounts"][0]
        assert account["state"] == "CHALLENGE_REQUIRED"

        sim.challenges.set("default", required=False)
        # POLL_INTERVAL is 0.05 s here: one whole tick after the change (the one running may have
        # checked before it), not the old 10 minutes.
        worker = app.runtime.worker
        running = worker.last_report
        await eventually(lambda: worker.last_report is not running, timeout=1)
        whole = worker.last_report
        await eventually(lambda: worker.last_report is not whole, timeout=1)
        task_id = await submit_song(http)
        assert (await rest_task(http, task_id))["status"] != "FAILURE"
        await eventually(lambda: task_finished(http, task_id), timeout=20)


async def test_account_refresh_checks_the_challenge_at_once(settings: Settings) -> None:
    # A worker that ticks once a minute: only the refresh can end the rest here.
    async with served(settings, poll_interval=60.0) as (app, http):
        sim = simulator_of(app)
        sim.challenges.set("default", required=True, version=1)
        assert (await http.post("/suno/submit/music", json=SONG)).json()["code"] == 502
        sim.challenges.set("default", required=False)
        stale = (await http.get("/suno/account")).json()["data"]["accounts"][0]
        assert stale["state"] == "CHALLENGE_REQUIRED"
        fresh = await graphql(http, "{ account(refresh: true) { accounts { state stateReason } } }")
        assert fresh["account"]["accounts"][0] == {"state": "HEALTHY", "stateReason": None}
        task_id = await submit_song(http)
        assert (await rest_task(http, task_id))["status"] in ("SUBMITTED", "QUEUED", "IN_PROGRESS")


async def test_update_account_ends_reauth_required_and_never_echoes_the_cookie(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    fresh_cookie = "__client=default.fresh-login-2026; __client_uat=1800000000"
    with caplog.at_level(logging.DEBUG):
        async with served(settings) as (app, http):
            sim = simulator_of(app)
            sim.revoked_clients.add("default")
            sim.revoke_tokens()
            refused = (await http.post("/suno/submit/music", json=SONG)).json()
            assert refused["code"] == 502, refused
            state = await graphql(http, "{ account { accounts { state } } }")
            assert state["account"]["accounts"][0]["state"] == "REAUTH_REQUIRED"

            mutation = 'mutation($c: String!) { updateAccount(name: "default", cookie: $c) { name state stateReason } }'
            reply = await http.post("/graphql", json={"query": mutation, "variables": {"c": fresh_cookie}})
            assert reply.json()["data"]["updateAccount"]["state"] == "HEALTHY", reply.text
            assert "fresh-login" not in reply.text
            task_id = await submit_song(http)
            await eventually(lambda: task_finished(http, task_id), timeout=20)
            accounts = (await http.get("/suno/account")).text
            assert "fresh-login" not in accounts
    assert not [r for r in caplog.records if "fresh-login" in r.getMessage()]


async def test_a_streamed_chat_shows_the_captcha_wait_as_progress(settings: Settings) -> None:
    async with served(settings, captcha_solver=CaptchaSolver.RELAY) as (app, http):
        simulator_of(app).challenges.set("default", required=True, version=1)
        body = {
            "model": "chirp-fenix",
            "stream": True,
            "messages": [{"role": "user", "content": "a song about rain"}],
        }
        text = ""
        async with http.stream("POST", "/v1/chat/completions", json=body) as response:
            async for event in sse_events(response):
                if event.event in ("message", "") and isinstance(event.data, dict):
                    text += "".join(c["delta"].get("content") or "" for c in event.data.get("choices", []))
                if WAITING in text:
                    break
        assert f"Waiting: {WAITING}" in text


async def test_sighup_rereads_the_accounts_file(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text("- name: main\n  cookie: __client=main\n", encoding="utf-8")
    async with running_simulator() as sim:
        overrides = {
            "cookie": "",
            "accounts_file": str(path),
            "upstream_mode": UpstreamMode.SUNO,
            "poll_interval": 60.0,
        }
        async with served(sim.settings(settings), **overrides) as (_app, http):
            if signal.getsignal(signal.SIGHUP) in (signal.SIG_DFL, None):
                pytest.fail("SIGHUP has no handler: sending it would end the test run")
            sim.state.revoked_clients.add("main")
            sim.state.revoke_tokens()
            assert (await http.post("/suno/submit/music", json=SONG)).json()["code"] == 502
            path.write_text("- name: main\n  cookie: __client=main.after-sighup\n", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGHUP)
            await eventually(lambda: account_state(http, "HEALTHY"), timeout=5)


async def account_state(http: httpx.AsyncClient, state: str) -> None:
    accounts = (await http.get("/suno/account")).json()["data"]["accounts"]
    assert accounts[0]["state"] == state, accounts


async def test_account_mutations_answer_bad_input_with_coded_errors(settings: Settings) -> None:
    async with served(settings, captcha_solver=CaptchaSolver.RELAY) as (_app, http):
        cases = [
            (
                'mutation { solveChallenge(account: "default", token: "P1_x", provider: 3) { name } }',
                "provider",
            ),
            ('mutation { solveChallenge(account: "nobody", token: "P1_x", provider: 1) { name } }', "nobody"),
            ('mutation { updateAccount(name: "nobody", cookie: "__client=x") { name } }', "nobody"),
            ('mutation { updateAccount(name: "default", cookie: "  ") { name } }', "cookie"),
        ]
        for query, word in cases:
            reply = (await http.post("/graphql", json={"query": query})).json()
            (error,) = reply["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT" and word in error["message"], reply
        unauthorized = await http.post(
            "/graphql",
            json={"query": 'mutation { updateAccount(name: "default", cookie: "__client=x") { name } }'},
            headers={"Authorization": "Bearer wrong"},
        )
        assert unauthorized.status_code == 401


async def test_account_events_over_a_websocket(settings: Settings) -> None:
    async with served(settings, captcha_solver=CaptchaSolver.RELAY) as (app, http):
        sim = simulator_of(app)
        seen: list[str] = []
        async with ws_client(
            app, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL, {"Authorization": f"Bearer {TOKEN}"}
        ) as session:
            subscription = session.subscribe(gql("subscription { accountEvents { account state } }"))
            # Closed on leaving, so the client completes the subscription instead of waiting for it.
            async with asyncio.timeout(20), contextlib.aclosing(subscription) as events:
                async for result in events:
                    seen.append(result["accountEvents"]["state"])
                    if len(seen) == 1:
                        sim.challenges.set("default", required=True, version=1)
                        await http.post("/suno/submit/music", json=SONG)
                    if "CHALLENGE_REQUIRED" in seen:
                        break
        assert seen == ["HEALTHY", "CHALLENGE_REQUIRED"]
