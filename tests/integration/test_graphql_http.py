"""GraphQL over real HTTP against the served app (SQLite store, in-memory upstream): queries, mutations, errors, auth."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from suno.cache import TaskCache
from suno.config import Settings
from suno.errors import InsufficientCredits
from suno.models import KNOWN_MODELS, Task
from suno.service import SunoService
from tests.support.app import running_app
from tests.support.eventually import eventually
from tests.support.fake_upstream import FakeUpstream

TASK_FIELDS = (
    "id action status failReason progress submittedAt clips { id status audioUrl } lyrics { title text }"
)


@dataclass
class Served:
    client: httpx.AsyncClient
    service: SunoService
    upstream: FakeUpstream

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def generate(self, **fields: Any) -> dict[str, Any]:
        body = await self.graphql(
            f"mutation($input: GenerateMusicInput!) {{ generateMusic(input: $input) {{ {TASK_FIELDS} }} }}",
            {"input": fields or {"gptDescriptionPrompt": "a song about rain"}},
        )
        assert "errors" not in body, body
        task: dict[str, Any] = body["data"]["generateMusic"]
        return task


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[Served]:
    upstream = FakeUpstream()
    async with (
        running_app(settings, upstream=upstream) as app,
        httpx.AsyncClient(base_url=app.base_url) as client,
    ):
        yield Served(client, app.runtime.service, upstream)


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_generate_music_returns_the_submitted_task_with_its_clips_and_request(served: Served) -> None:
    body = await served.graphql(
        """mutation { generateMusic(input: {prompt: "[Verse]\\nla", title: "Neon", tags: "synthwave",
             negativeTags: "metal", vocalGender: FEMALE, model: "suno-v3.5", makeInstrumental: false}) {
             status action request { ... on MusicRequest { prompt title tags negativeTags vocalGender model } } clips { id } } }"""
    )
    task = body["data"]["generateMusic"]
    assert (task["status"], task["action"]) == ("SUBMITTED", "MUSIC")
    assert len(task["clips"]) == 2
    assert task["request"] == {
        "prompt": "[Verse]\nla",
        "title": "Neon",
        "tags": "synthwave",
        "negativeTags": "metal",
        "vocalGender": "FEMALE",
        "model": "chirp-v3-5",
    }


async def test_generate_lyrics_returns_at_once_and_the_lyrics_arrive_later_in_task(served: Served) -> None:
    body = await served.graphql(
        f'mutation {{ generateLyrics(input: {{prompt: "rain"}}) {{ {TASK_FIELDS} }} }}'
    )
    task = body["data"]["generateLyrics"]
    assert (task["action"], task["status"], task["lyrics"]) == ("LYRICS", "SUBMITTED", None)
    query = f'{{ task(id: "{task["id"]}") {{ status lyrics {{ title text }} }} }}'

    async def finished() -> dict[str, Any]:
        found: dict[str, Any] = (await served.graphql(query))["data"]["task"]
        assert found["status"] == "SUCCESS", found
        return found

    found = await eventually(finished, interval=0.05)
    assert found == {"status": "SUCCESS", "lyrics": {"title": "Rain", "text": "[Verse]\nrain on the roof"}}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "prompt"),
        ({"prompt": "la", "continueAt": 10.0}, "continueClipId"),
        ({"prompt": "la", "continueClipId": "c1"}, "continueAt"),
        ({"prompt": "la", "model": "chirp fenix!"}, "model"),
        ({"title": "x" * 201, "prompt": "la"}, "title"),
        # Both modes at once: refused, not the lyrics silently dropped (the REST door keeps the original's rule).
        ({"prompt": "a", "gptDescriptionPrompt": "b"}, "prompt"),
    ],
)
async def test_bad_music_input_is_bad_user_input_naming_the_field(
    served: Served, fields: dict[str, Any], field: str
) -> None:
    body = await served.graphql(
        "mutation($input: GenerateMusicInput!) { generateMusic(input: $input) { id } }", {"input": fields}
    )
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert len(error["message"]) > 20  # a sentence, not a token
    assert served.upstream.calls["generate"] == 0


async def test_a_wrong_enum_or_type_in_variables_is_bad_user_input(served: Served) -> None:
    body = await served.graphql(
        "mutation($input: GenerateMusicInput!) { generateMusic(input: $input) { id } }",
        {"input": {"prompt": "la", "vocalGender": "ROBOT"}},
    )
    assert codes(body) == ["BAD_USER_INPUT"] and "ROBOT" in body["errors"][0]["message"]


async def test_empty_lyrics_prompt_is_bad_user_input(served: Served) -> None:
    body = await served.graphql('mutation { generateLyrics(input: {prompt: "   "}) { id } }')
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "prompt"}


async def test_an_upstream_rejection_is_a_readable_upstream_error_naming_the_failed_task(
    served: Served,
) -> None:
    served.upstream.generate_error = InsufficientCredits("Insufficient credits.", 402)
    body = await served.graphql('mutation { generateMusic(input: {prompt: "la"}) { id } }')
    (error,) = body["errors"]
    assert error["message"] == "Insufficient credits."
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert error["extensions"]["upstreamStatus"] == 402
    failed = await served.graphql(
        f'{{ task(id: "{error["extensions"]["taskId"]}") {{ status failReason }} }}'
    )
    assert failed["data"]["task"] == {"status": "FAILURE", "failReason": "Insufficient credits."}


async def test_an_unknown_task_is_null_without_error(served: Served) -> None:
    assert await served.graphql('{ task(id: "no-such-task") { id } }') == {"data": {"task": None}}


async def test_tasks_pages_newest_first_with_cursors_and_filters(served: Served) -> None:
    made = [await served.generate() for _ in range(5)]
    lyrics = (await served.graphql('mutation { generateLyrics(input: {prompt: "rain"}) { id } }'))["data"]
    page_query = """query($after: String, $action: [TaskAction!]) {
        tasks(first: 2, after: $after, action: $action) { nodes { id } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await served.graphql(page_query, {"after": after, "action": ["MUSIC"]}))["data"]["tasks"]
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert page["pageInfo"]["endCursor"] is None
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [task["id"] for task in reversed(made)]
    only = await served.graphql(
        "query($ids: [ID!]) { tasks(ids: $ids, action: [LYRICS]) { nodes { id action } } }",
        {"ids": [lyrics["generateLyrics"]["id"], made[0]["id"]]},
    )
    assert only["data"]["tasks"]["nodes"] == [{"id": lyrics["generateLyrics"]["id"], "action": "LYRICS"}]
    served.upstream.generate_error = InsufficientCredits("Insufficient credits.", 402)
    await served.graphql('mutation { generateMusic(input: {prompt: "la"}) { id } }')
    failed = await served.graphql("{ tasks(status: [FAILURE]) { nodes { status failReason } } }")
    assert failed["data"]["tasks"]["nodes"] == [{"status": "FAILURE", "failReason": "Insufficient credits."}]


async def test_page_size_and_cursor_are_checked(served: Served) -> None:
    too_big = await served.graphql("{ tasks(first: 101) { nodes { id } } }")
    assert too_big["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    bad_cursor = await served.graphql('{ tasks(after: "not-a-cursor") { nodes { id } } }')
    assert bad_cursor["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_aliased_task_lookups_are_batched_into_one_lookup(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [(await served.generate())["id"] for _ in range(3)]
    # The DataLoader's one batch call, for tasks the service's memory does not hold (one store query).
    service = served.service
    monkeypatch.setattr(service, "cache", TaskCache())
    original = service.get_tasks
    calls: list[Sequence[str]] = []

    async def counting_get_tasks(task_ids: Sequence[str]) -> list[Task]:
        calls.append(list(task_ids))
        return await original(task_ids)

    monkeypatch.setattr(service, "get_tasks", counting_get_tasks)
    aliases = " ".join(f'a{i}: task(id: "{task_id}") {{ id }}' for i, task_id in enumerate([*ids, "missing"]))
    body = await served.graphql(f"{{ {aliases} }}")
    assert [body["data"][f"a{i}"] for i in range(4)] == [*({"id": task_id} for task_id in ids), None]
    assert calls == [[*ids, "missing"]]


async def test_continued_from_resolves_the_source_task_for_a_whole_page_in_one_lookup(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = await served.generate()
    clip_id = source["clips"][0]["id"]
    for _ in range(2):
        await served.generate(
            prompt="[Verse]\nmore", continueClipId=clip_id, continueAt=12.5, continueTaskId=source["id"]
        )
    # The DataLoader's one batch call, for tasks the service's memory does not hold (one store query).
    service = served.service
    monkeypatch.setattr(service, "cache", TaskCache())
    original = service.get_tasks
    calls: list[Sequence[str]] = []

    async def counting_get_tasks(task_ids: Sequence[str]) -> list[Task]:
        calls.append(list(task_ids))
        return await original(task_ids)

    monkeypatch.setattr(service, "get_tasks", counting_get_tasks)
    body = await served.graphql("{ tasks { nodes { id continuedFrom { id } } } }")
    nodes = body["data"]["tasks"]["nodes"]
    assert [node["continuedFrom"] for node in nodes] == [{"id": source["id"]}, {"id": source["id"]}, None]
    assert calls == [[source["id"], source["id"]]] or calls == [[source["id"]]]


async def test_queries_work_over_get_but_mutations_do_not(served: Served) -> None:
    response = await served.client.get("/graphql", params={"query": "{ knownModels }"})
    assert response.json() == {"data": {"knownModels": list(KNOWN_MODELS)}}
    refused = await served.client.get(
        "/graphql", params={"query": 'mutation { generateLyrics(input: {prompt: "x"}) { id } }'}
    )
    assert refused.status_code in (400, 405)
    assert served.upstream.calls["generate_lyrics"] == 0


async def test_account_shows_credits_and_never_the_certificate(served: Served) -> None:
    response = await served.client.post(
        "/graphql",
        json={
            "query": "{ account(refresh: true) { creditsLeft active accounts { name creditsLeft maxConcurrency } } }"
        },
    )
    assert response.json()["data"]["account"] == {
        "creditsLeft": 100,
        "active": True,
        "accounts": [{"name": "default", "creditsLeft": 100, "maxConcurrency": 10}],
    }
    for secret in ("cookie=fake", "jwt.fake.token", "sess_fake"):
        assert secret not in response.text


async def test_an_unexpected_failure_is_masked_as_internal(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*, refresh: bool = False) -> Any:
        raise RuntimeError("db password hunter2")

    monkeypatch.setattr(served.service, "account", broken)
    response = await served.client.post("/graphql", json={"query": "{ account { creditsLeft } }"})
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL"}
    assert "hunter2" not in response.text


async def test_with_a_secret_token_http_needs_the_bearer(settings: Settings) -> None:
    settings = settings.with_overrides(secret_token="s3cret-token")
    async with (
        running_app(settings, upstream=FakeUpstream()) as app,
        httpx.AsyncClient(base_url=app.base_url) as client,
    ):
        query = {"query": "{ knownModels }"}
        missing = await client.post("/graphql", json=query)
        wrong = await client.post("/graphql", json=query, headers={"Authorization": "Bearer nope"})
        right = await client.post("/graphql", json=query, headers={"Authorization": "Bearer s3cret-token"})
        by_get = await client.get("/graphql", params=query)
        page = await client.get("/graphql", headers={"Accept": "text/html"})
    for refused in (missing, wrong, by_get):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert refused.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
        assert "s3cret-token" not in refused.text
    assert right.status_code == 200 and "errors" not in right.json()
    # The IDE page holds no data; its requests carry the token from its Headers tab.
    assert page.status_code in (200, 503) and page.headers["content-type"].startswith("text/html")


async def test_a_subscription_over_plain_http_is_refused_with_the_transports_that_stream(
    served: Served,
) -> None:
    response = await served.client.post(
        "/graphql", json={"query": 'subscription { taskProgress(id: "x") { id } }'}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert "WebSocket" in error["message"] and "graphql-transport-ws" in error["message"]
    assert "text/event-stream" in error["message"] and "multipart/mixed" in error["message"]
