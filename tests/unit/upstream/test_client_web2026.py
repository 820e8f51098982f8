"""The web2026 profile's calls (respx): v2-web bodies, browser-token, feed/v3, cowrite, the one fallback."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from suno.errors import UpstreamRejected
from suno.models import MusicRequest
from suno.upstream.client import SunoClient
from suno.upstream.profiles import protocol_choice

from .conftest import BASE


def clip(clip_id: str, status: str = "submitted") -> dict[str, object]:
    return {"id": clip_id, "status": status, "metadata": {"tags": "pop"}}


def reply(*ids: str) -> httpx.Response:
    return httpx.Response(200, json={"id": "b", "clips": [clip(i) for i in ids], "status": "complete"})


def sent(route) -> dict[str, object]:
    body: dict[str, object] = json.loads(route.calls.last.request.content)
    return body


@pytest.fixture
def web(client: SunoClient, http: httpx.AsyncClient) -> SunoClient:
    return SunoClient(auth=client.auth, http=http, base_url=BASE, device_id="device-1234", feed_batch_size=2)


async def test_custom_mode_body_has_transaction_uuid_metadata_and_a_fresh_browser_token(web, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=reply("a", "b"))
    request = MusicRequest(
        prompt="[Verse] hi", title="Hi", tags="pop", negative_tags="metal", mv="chirp-hawk"
    )
    clips = await web.generate(request, transaction_uuid="tx-1", user_tier="pro-plan")
    assert [c.id for c in clips] == ["a", "b"]
    body = sent(route)
    assert body["transaction_uuid"] == "tx-1" and body["generation_type"] == "TEXT"
    assert body["mv"] == "chirp-hawk" and body["override_fields"] == []
    assert (body["prompt"], body["title"], body["tags"], body["negative_tags"]) == (
        "[Verse] hi",
        "Hi",
        "pop",
        "metal",
    )
    assert "gpt_description_prompt" not in body and "token" not in body and "task" not in body
    metadata = body["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["create_mode"] == "custom" and metadata["web_client_pathname"] == "/create"
    assert metadata["user_tier"] == "pro-plan" and metadata["create_session_token"]
    headers = route.calls.last.request.headers
    token = json.loads(headers["browser-token"])
    assert isinstance(json.loads(base64.b64decode(token["token"]))["timestamp"], int)
    assert headers["device-id"] == "device-1234"


async def test_simple_mode_sends_the_description_and_lyrics_model(web, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=reply("a", "b"))
    await web.generate(
        MusicRequest(gpt_description_prompt="rain", make_instrumental=True), transaction_uuid="t"
    )
    body = sent(route)
    assert (
        body["gpt_description_prompt"] == "rain"
        and body["prompt"] == ""
        and body["make_instrumental"] is True
    )
    assert body["metadata"] == {**body["metadata"], "create_mode": "simple", "lyrics_model": "default"}  # type: ignore[dict-item]
    assert "title" not in body and "tags" not in body


async def test_v6_controls_go_in_control_sliders_and_the_flags(web, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=reply("a", "b"))
    request = MusicRequest(
        prompt="la",
        weirdness=0.7,
        style_weight=0.2,
        variety=3,
        max_mode=True,
        mumble=True,
        duration_seconds=120,
        persona_id="p-1",
    )
    await web.generate(request, transaction_uuid="t")
    body = sent(route)
    metadata = body["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["control_sliders"] == {
        "weirdness_constraint": 0.7,
        "style_weight": 0.2,
        "aug_creativity": 3,
    }
    assert metadata["is_max_mode"] is True and metadata["is_mumble"] is True
    assert body["duration"] == 120 and body["persona_id"] == "p-1"


async def test_continuation_is_task_extend_with_is_remix(web, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2-web/").mock(return_value=reply("c", "d"))
    await web.generate(
        MusicRequest(prompt="more", continue_clip_id="src", continue_at=30.5), transaction_uuid="t"
    )
    body = sent(route)
    assert (body["task"], body["continue_clip_id"], body["continue_at"]) == ("extend", "src", 30.5)
    assert body["metadata"]["is_remix"] is True  # type: ignore[index]


async def test_feed_v3_posts_the_ids_filter_and_recent_clips_page_by_cursor(web, mocked):
    calls: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body)
        if body.get("filters"):
            ids = body["filters"]["ids"]["clipIds"]
            return httpx.Response(
                200, json={"clips": [clip(i) for i in ids], "next_cursor": None, "has_more": False}
            )
        page = int(body["cursor"] or 0)
        return httpx.Response(
            200,
            json={
                "clips": [clip(f"r{page}")],
                "next_cursor": str(page + 1) if page < 2 else None,
                "has_more": page < 2,
            },
        )

    mocked.post(f"{BASE}/api/feed/v3").mock(side_effect=answer)
    clips = await web.feed(["a", "b", "c"])
    assert [c.id for c in clips] == ["a", "b", "c"]
    assert calls[0]["filters"] == {"ids": {"presence": "True", "clipIds": ["a", "b"]}}
    assert calls[1]["filters"] == {"ids": {"presence": "True", "clipIds": ["c"]}}
    recent = await web.recent_clips(limit=10)
    assert [c.id for c in recent] == ["r0", "r1", "r2"]
    assert "filters" not in calls[2] and calls[2]["cursor"] is None


async def test_cowrite_lyrics_answer_at_once(web, mocked):
    route = mocked.post(f"{BASE}/api/generate/cowrite-lyrics/").mock(
        return_value=httpx.Response(200, json={"id": "L1", "title": "Rain", "lyrics": "[Verse]\nrain"})
    )
    draft = await web.write_lyrics("rain on the roof")
    assert draft.lyrics is not None and draft.lyrics.is_complete and draft.lyrics.text == "[Verse]\nrain"
    assert sent(route) == {
        "instruction": "rain on the roof",
        "mode": "apply_user_request",
        "metadata": {"lyrics_model": "default"},
    }


async def test_a_missing_route_falls_back_to_legacy_once_with_a_warning(client, http, mocked, caplog):
    choice = protocol_choice("web2026")
    first = SunoClient(auth=client.auth, http=http, base_url=BASE, protocol=choice)
    web_route = mocked.post(f"{BASE}/api/generate/v2-web/").mock(
        return_value=httpx.Response(404, json={"detail": "Not Found"})
    )
    legacy_route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=reply("a", "b"))
    clips = await first.generate(MusicRequest(prompt="x"))
    assert [c.id for c in clips] == ["a", "b"] and choice.current.name == "legacy"
    assert "SUNO_PROTOCOL=legacy" in caplog.text
    await first.generate(MusicRequest(prompt="y"))
    assert web_route.call_count == 1 and legacy_route.call_count == 2


async def test_a_404_about_the_content_never_switches_profiles(web, mocked):
    mocked.post(f"{BASE}/api/generate/v2-web/").mock(
        return_value=httpx.Response(404, json={"detail": "Clip not found."})
    )
    with pytest.raises(UpstreamRejected):
        await web.generate(MusicRequest(prompt="x", continue_clip_id="gone", continue_at=1.0))
    assert web.protocol.current.name == "web2026"
