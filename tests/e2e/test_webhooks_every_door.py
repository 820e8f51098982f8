"""Webhooks through GraphQL (webhookUrl) and the original REST (callback_url) on the simulator: signed
deliveries that verify with the standard algorithm, visible as Task.webhookDeliveries; a kill -9 of a
real `sunoql serve` before the delivery still delivers after restart."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from suno.config import Settings
from tests.e2e.test_ops_shutdown import free_port, server_env, sunoql_process
from tests.support.app import running_app
from tests.support.eventually import eventually
from tests.support.simulator import running_simulator
from tests.support.webhook_receiver import TEST_WEBHOOK_SECRET, Receiver, webhook_receiver

GENERATE = 'mutation($url: String) { generateMusic(input: {prompt: "[Verse]\\nla", tags: "pop", webhookUrl: $url}) { id webhookUrl } }'
DELIVERIES = "query($id: ID!) { task(id: $id) { status webhookDeliveries { id stage state attempts url history { statusCode error } } } }"


def with_webhooks(settings: Settings, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "webhook_secret": TEST_WEBHOOK_SECRET,
        "webhook_allow_private": True,
        "webhook_retry_base": 0.05,
    }
    return settings.with_overrides(**(values | more))


def stages_of(receiver: Receiver, task_id: str) -> list[str]:
    return [
        hit.json["type"].removeprefix("task.")
        for hit in receiver.hits
        if hit.answered == 200 and hit.json["data"]["task_id"] == task_id
    ]


async def test_graphql_webhook_url_gets_signed_deliveries_visible_on_the_task(settings: Settings) -> None:
    async with (
        webhook_receiver(answers=[500, 500]) as receiver,
        running_app(with_webhooks(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        created = await http.post("/graphql", json={"query": GENERATE, "variables": {"url": receiver.url}})
        task = created.json()["data"]["generateMusic"]
        assert task["webhookUrl"] == receiver.url
        await eventually(lambda: stages_of(receiver, task["id"]) == ["text", "first", "complete"], timeout=20)
        for hit in receiver.hits:
            body = receiver.verify(hit)  # the Standard Webhooks check, by the spec's own package
            assert body["data"]["task_id"] == task["id"]
        # The receiver answered 500 twice: the first event came a third time, with the same webhook-id.
        first_id = receiver.hits[0].id
        assert [hit.answered for hit in receiver.hits if hit.id == first_id] == [500, 500, 200]

        async def all_delivered() -> list[dict[str, Any]]:
            answer = await http.post("/graphql", json={"query": DELIVERIES, "variables": {"id": task["id"]}})
            rows: list[dict[str, Any]] = answer.json()["data"]["task"]["webhookDeliveries"]
            assert [row["state"] for row in rows] == ["DELIVERED"] * 3, rows
            return rows

        rows = await eventually(all_delivered)
        assert [row["stage"] for row in rows] == ["text", "first", "complete"]
        retried = next(row for row in rows if row["id"] == first_id)
        assert retried["attempts"] == 3
        assert [a["statusCode"] for a in retried["history"]] == [500, 500, 200]


async def test_graphql_refuses_a_loopback_webhook_by_default(settings: Settings) -> None:
    async with (
        running_app(with_webhooks(settings, webhook_allow_private=False)) as app,
        httpx.AsyncClient(base_url=app.base_url) as http,
    ):
        answer = await http.post(
            "/graphql", json={"query": GENERATE, "variables": {"url": "http://127.0.0.1:9/h"}}
        )
        (error,) = answer.json()["errors"]
        assert "WEBHOOK_ALLOW_PRIVATE=true" in error["message"] and "127.0.0.1" in error["message"]


async def test_rest_callback_url_gets_signed_deliveries(settings: Settings) -> None:
    async with (
        webhook_receiver() as receiver,
        running_app(with_webhooks(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        body = {"prompt": "[Verse]\nla", "tags": "pop", "callback_url": receiver.url}
        answer = await http.post("/suno/submit/music", json=body)
        task_id = answer.json()["data"]
        await eventually(lambda: stages_of(receiver, task_id) == ["text", "first", "complete"], timeout=20)
        complete = receiver.verify(receiver.hits[-1])
        assert complete["type"] == "task.complete" and complete["data"]["status"] == "SUCCESS"
        assert len(complete["data"]["clips"]) == 2
        refused = await http.post("/suno/submit/music", json=body | {"callback_url": "gopher://x"})
        assert refused.status_code == 400 and "callback_url" in refused.json()["message"]


@pytest.mark.slow
async def test_a_kill_9_before_the_delivery_still_delivers_after_restart(
    settings: Settings, tmp_path: Any
) -> None:
    hook_port, port = free_port(), free_port()
    log = tmp_path / "sunoql.log"
    async with running_simulator(speed=50.0) as sim:
        env = server_env(sim, settings, port) | {
            "WEBHOOK_SECRET": TEST_WEBHOOK_SECRET,
            "WEBHOOK_ALLOW_PRIVATE": "true",
            "WEBHOOK_RETRY_BASE": "0.2",
        }
        env.pop("SECRET_TOKEN", None)
        base = f"http://127.0.0.1:{port}"
        url = f"http://127.0.0.1:{hook_port}/hook"  # nothing listens yet: every attempt fails to connect
        async with sunoql_process(env, log) as process, httpx.AsyncClient(base_url=base, timeout=30) as http:
            task_id = (
                await http.post("/suno/submit/music", json={"prompt": "la", "tags": "x", "callback_url": url})
            ).json()["data"]

            async def finished() -> None:
                fetched = (await http.get(f"/suno/fetch/{task_id}")).json()
                assert fetched["data"] and all(clip["status"] == "complete" for clip in fetched["data"]), (
                    fetched
                )

            await eventually(finished, timeout=20)
            process.kill()  # SIGKILL: no shutdown, the outbox rows are all that is left
            await process.wait()
        async with webhook_receiver(port=hook_port) as receiver, sunoql_process(env, log):
            await eventually(
                lambda: stages_of(receiver, task_id) == ["text", "first", "complete"], timeout=20
            )
            assert len({hit.id for hit in receiver.hits}) == 3


async def test_a_page_of_tasks_reads_its_webhook_deliveries_in_one_query(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from suno.store.webhook_outbox import WebhookOutbox

    lookups: list[int] = []
    for_tasks = WebhookOutbox.for_tasks

    async def counted(outbox: WebhookOutbox, task_ids: Any) -> Any:
        lookups.append(len(task_ids))
        return await for_tasks(outbox, task_ids)

    monkeypatch.setattr(WebhookOutbox, "for_tasks", counted)
    async with (
        webhook_receiver() as receiver,
        running_app(with_webhooks(settings)) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        ids = []
        for _ in range(4):
            created = await http.post(
                "/graphql", json={"query": GENERATE, "variables": {"url": receiver.url}}
            )
            ids.append(created.json()["data"]["generateMusic"]["id"])
        await eventually(
            lambda: all("complete" in stages_of(receiver, task_id) for task_id in ids), timeout=20
        )
        lookups.clear()
        page = "{ tasks(first: 10) { nodes { id webhookDeliveries { stage state } } } }"
        answer = (await http.post("/graphql", json={"query": page})).json()
        nodes = answer["data"]["tasks"]["nodes"]
        assert sorted(node["id"] for node in nodes) == sorted(ids)
        for node in nodes:
            assert [row["stage"] for row in node["webhookDeliveries"]] == ["text", "first", "complete"]
        assert lookups == [4]  # one store query for the page, not one per task
