"""The served app's operations side: logs without secrets, request ids, /metrics, /healthz, /readyz, PPROF."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ops.log_setup import configure_logging
from rest_compat.openai.llm import SONG_TOOL_NAME
from suno.config import LogFormat, Settings
from suno.models import MusicRequest, TaskStatus
from suno.upstream import build_upstream
from tests.support.app import running_app
from tests.support.eventually import eventually
from tests.support.server import serve
from tests.support.simulator import running_simulator

JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.")
# The simulated account's name is its cookie's __client value: long and unusual, so a leak would show.
SIM_ACCOUNT = "simacct7f3a9c2e5b"


def fake_llm() -> Starlette:
    async def completions(_request: Request) -> JSONResponse:
        arguments = {"prompt": "[Verse]\nrain", "title": "Rain", "tags": "pop", "make_instrumental": False}
        call = {"name": SONG_TOOL_NAME, "arguments": json.dumps(arguments)}
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": call}],
        }
        return JSONResponse({"choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]})

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


async def test_no_secret_reaches_any_log_line_of_a_full_run(settings: Settings, tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    async with running_simulator(speed=200) as sim, serve(fake_llm()) as llm_url:
        aimed = sim.settings(
            settings,
            account=SIM_ACCOUNT,
            secret_token="e2e-server-token-5d1c9a",
            chat_openai_key="sk-e2e-llm-key-0b7e44f1",
            chat_openai_base=llm_url,
            debug=True,
            log_format=LogFormat.JSON,
            rotate_logs=True,
            log_dir=str(log_dir),
        )
        logging_setup = configure_logging(aimed)
        # A chatty library: httpx logs every URL, and Clerk's token URL holds the session id.
        logging.getLogger("httpx").setLevel(logging.INFO)
        try:
            async with running_app(aimed, upstream=build_upstream(aimed)) as served:
                auth = {"Authorization": f"Bearer {aimed.secret_token}"}
                async with httpx.AsyncClient(base_url=served.base_url, headers=auth, timeout=30) as client:
                    submitted = await client.post(
                        "/suno/submit/music",
                        json={"gpt_description_prompt": "rain on a tin roof"},
                        headers={"X-Request-Id": "e2e-submit-1"},
                    )
                    assert submitted.headers["x-request-id"] == "e2e-submit-1"
                    chat = await client.post(
                        "/v1/chat/completions",
                        json={
                            "model": "chirp-v3-5",
                            "messages": [{"role": "user", "content": "a rain song"}],
                        },
                    )
                    assert chat.status_code == 200, chat.text
                    assert (await client.get("/suno/account")).status_code == 200
                    graphql = await client.post("/graphql", json={"query": "{ __typename }"})
                    assert graphql.status_code == 200
                    refused = await client.get(
                        "/suno/account", headers={"Authorization": "Bearer wrong-token-xyz"}
                    )
                    assert refused.status_code == 401
                service = served.runtime.service
                for task in (await service.list_tasks()).tasks:
                    assert [s async for s in service.watch(task.id)][-1].status is TaskStatus.SUCCESS
                certificates = service.account_secrets()
        finally:
            logging_setup.close()  # also gives httpx its level back

    lines = [line for path in sorted(log_dir.iterdir()) for line in path.read_text().splitlines()]
    records = [json.loads(line) for line in lines]
    secrets = {aimed.cookie, aimed.secret_token, aimed.chat_openai_key, SIM_ACCOUNT}
    for certificate in certificates:
        assert certificate.jwt and certificate.session_id, "the run never exchanged a token"
        secrets |= {certificate.cookie, certificate.session_id, certificate.jwt}
    leaks = [(secret, line) for line in lines for secret in secrets if secret in line]
    assert not leaks, leaks[:3]
    assert not [line for line in lines if JWT_SHAPE.search(line)]
    # The run did log: debug lines of upstream calls, and the request's id on its lines.
    assert any(r["logger"] == "suno.upstream" and r["level"] == "DEBUG" for r in records)
    assert any(r.get("request_id") == "e2e-submit-1" and r["logger"] == "sunoql.access" for r in records)
    assert len(records) > 20
    assert any("[redacted]" in r["message"] and r["logger"] == "httpx" for r in records)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(metrics: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return metrics.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_parse_and_their_counters_move_after_a_task_runs(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        before = samples((await client.get("/metrics")).text)
        submitted = await client.post(
            "/suno/submit/music", json={"gpt_description_prompt": "a song about rain"}
        )
        assert submitted.status_code == 200, submitted.text
        (task,) = (await served.runtime.service.list_tasks()).tasks
        watch = served.runtime.service.watch(task.id)
        await anext(watch)
        async with websockets.connect(
            served.ws_url + "/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            additional_headers={"X-Request-Id": "ws-1"},
        ) as socket:
            during = samples((await client.get("/metrics")).text)
            assert socket.response is not None and socket.response.headers["x-request-id"] == "ws-1"
        assert [s async for s in watch][-1].status is TaskStatus.SUCCESS
        worker = served.runtime.worker
        for _ in range(2):  # a whole worker tick after the last change: each tick replaces its report
            report = worker.last_report

            def replaced(report: object = report) -> bool:
                return worker.last_report is not report

            await eventually(replaced)
        response = await client.get("/metrics")
    after = samples(response.text)
    assert response.headers["content-type"].startswith("text/plain")
    assert value(during, "sunoql_active_subscriptions") >= 1
    assert value(during, "sunoql_websocket_connections") == 1
    assert value(after, "sunoql_websocket_connections") == 0
    assert (
        value(after, "sunoql_submissions_total", action="MUSIC")
        == value(before, "sunoql_submissions_total", action="MUSIC") + 1
    )
    assert value(after, "sunoql_tasks", action="MUSIC", status="SUCCESS") == 1
    assert value(after, "sunoql_tasks_finished_total", action="MUSIC", status="SUCCESS", reason="") == 1
    assert (
        value(after, "sunoql_upstream_request_duration_seconds_count", endpoint="generate", status="ok") == 1
    )
    assert value(after, "sunoql_upstream_request_duration_seconds_count", endpoint="feed", status="ok") >= 1
    assert value(after, "sunoql_token_refreshes_total", account="default") >= 1
    assert value(after, "sunoql_worker_tick_duration_seconds_count") > value(
        before, "sunoql_worker_tick_duration_seconds_count"
    )
    route = {"method": "POST", "route": "/suno/submit/music", "status": "200"}
    assert value(after, "sunoql_http_request_duration_seconds_count", **route) == 1


async def test_a_refused_submission_is_counted_by_its_reason(settings: Settings) -> None:
    async with running_simulator(speed=200) as sim:
        sim.inject("402", "generate")
        async with (
            running_app(settings, upstream=build_upstream(sim.settings(settings))) as served,
            httpx.AsyncClient(base_url=served.base_url) as client,
        ):
            refused = await client.post("/suno/submit/music", json={"gpt_description_prompt": "rain"})
            metrics = samples((await client.get("/metrics")).text)
    assert refused.status_code >= 400
    assert (
        value(metrics, "sunoql_submission_failures_total", action="MUSIC", reason="insufficient_credits") == 1
    )
    assert value(metrics, "sunoql_upstream_errors_total", endpoint="generate", status="402") == 1


async def test_health_and_readiness_answer_json_with_their_checks(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
        served.runtime.service.begin_shutdown()
        draining = await client.get("/readyz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["checks"]["store"] == "ok" and "worker" in health.json()["checks"]
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert ready.json()["status"] == "ok"
    assert {name: checks[name] for name in ("process", "store", "migrations", "upstream", "shutdown")} == {
        "process": "ok",
        "store": "ok",
        "migrations": "current",
        "upstream": "simulator",
        "shutdown": "no",
    }
    assert checks["accounts"] == {"usable": 1, "total": 1, "simulator": True, "resting": []}
    # One shape, one vocabulary: the two probes differ only in their HTTP status.
    assert set(health.json()["checks"]) == set(checks)
    assert draining.status_code == 503 and draining.json()["checks"]["shutdown"] == "draining"
    assert draining.json()["status"] == "degraded"


async def test_a_resting_account_shows_on_both_probes_and_makes_the_replica_not_ready(
    settings: Settings,
) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        simulator = served.runtime.simulator_url
        await client.post(f"{simulator}/_sim/accounts/default", json={"credits": 0})
        await client.post(
            "/suno/submit/music", json={"gpt_description_prompt": "a song", "mv": "chirp-fenix"}
        )
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
        rest = (await client.get("/suno/account")).json()["data"]["accounts"][0]
        graphql = await client.post("/graphql", json={"query": "{ account { accounts { unusableReason } } }"})
    # The account doors say it too.
    assert "credits" in rest["unusable_reason"]
    assert "credits" in graphql.json()["data"]["account"]["accounts"][0]["unusableReason"]
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    resting = health.json()["checks"]["accounts"]["resting"]
    assert [account["name"] for account in resting] == ["default"]
    assert "credits" in resting[0]["reason"].lower() and resting[0]["state"] == "OUT_OF_CREDITS"
    # The simulator no longer makes a replica ready on its own: no usable account, not ready.
    assert ready.status_code == 503 and ready.json()["checks"]["accounts"]["usable"] == 0


async def test_a_request_id_is_kept_when_plain_and_replaced_when_not(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        kept = await client.get("/ping", headers={"X-Request-Id": "abc-123"})
        replaced = await client.get("/ping", headers={"X-Request-Id": "two words\tand a tab"})
        generated = await client.get("/ping")
    assert kept.headers["x-request-id"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])
    assert replaced.headers["x-request-id"] != generated.headers["x-request-id"]


async def test_the_profiling_listener_is_off_by_default(settings: Settings) -> None:
    async with running_app(settings) as served, httpx.AsyncClient(base_url=served.base_url) as client:
        on_public_port = await client.get("/debug/pprof/tasks")
    assert served.runtime.pprof_url is None
    assert on_public_port.status_code == 404


async def test_the_profiling_listener_profiles_the_process_and_lists_its_tasks(settings: Settings) -> None:
    async with running_app(settings.with_overrides(pprof=True, pprof_port=0)) as served:
        url = served.runtime.pprof_url
        assert url is not None and url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            speedscope = await client.get(
                "/debug/pprof/profile", params={"seconds": "0.3", "format": "speedscope"}
            )
            html = await client.get("/debug/pprof/profile", params={"seconds": "0.2"})
            tasks = await client.get("/debug/pprof/tasks")
            refused = await client.get("/debug/pprof/profile", params={"seconds": "9999"})
        service = served.runtime.service
        await service.submit_music(MusicRequest(gpt_description_prompt="still works"))
    assert speedscope.status_code == 200 and "speedscope" in speedscope.json()["$schema"]
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert tasks.status_code == 200 and "asyncio tasks" in tasks.text
    assert served.runtime.worker.owner in tasks.text  # the worker's loop is one of the listed tasks
    assert refused.status_code == 400
