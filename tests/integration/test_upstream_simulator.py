"""The real Suno client against the simulator served by uvicorn on loopback, failures included."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from suno.config import Settings
from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    RateLimited,
    SubmitOutcomeUnknown,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.models import Clip, MusicRequest
from suno.upstream import AccountConfig, ClerkAuth, SunoClient, build_upstream
from suno.upstream.profiles import LegacyProfile, ProtocolChoice, Web2026Profile
from tests.support.eventually import eventually
from tests.support.simulator import RunningSimulator, running_simulator

SONG = MusicRequest(prompt="[Verse]\nneon rain on the window", title="Neon", tags="synthwave")


class ManualClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[RunningSimulator]:
    # Each test runs once per protocol profile, against a simulator that speaks only that one.
    protocol = request.param if hasattr(request, "param") else "web2026"
    async with running_simulator(speed=400, slow_seconds=0.5, era="2024", protocols=(protocol,)) as running:
        yield running


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "sim" in metafunc.fixturenames:
        metafunc.parametrize("sim", ["web2026", "legacy"], indirect=True)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def make_client(
    sim: RunningSimulator, http: httpx.AsyncClient, account: str = "default", **options
) -> SunoClient:
    settings = sim.settings(account=account)
    auth = ClerkAuth(
        cookie=settings.cookie,
        account=account,
        http=http,
        exchange_token_url=settings.exchange_token_url,
        clerk_client_url=settings.clerk_client_url,
        min_interval=0,
    )
    options.setdefault("protocol", sim.state.protocols[0])
    return SunoClient(auth=auth, http=http, base_url=settings.base_url, retry_backoff=0.01, **options)


async def until_done(client: SunoClient, clips: list[Clip] | tuple[Clip, ...]) -> list[Clip]:
    async def finished() -> list[Clip]:
        ids = [clip.id for clip in clips]
        fed = {clip.id: clip for clip in await client.feed(ids)}
        # feed/v3 leaves out clips in error: those are read on their own, as the worker does.
        current = [fed[i] if i in fed else await client.clip(i) for i in ids]
        assert all(clip.status in ("complete", "error") for clip in current), current
        return current

    return await eventually(finished, message="the simulated clips never finished")


async def test_a_song_goes_from_submitted_to_complete_with_playable_audio(http):
    clock = ManualClock()
    async with running_simulator(speed=1, clock=clock, token_ttl=3600) as sim:
        client = make_client(sim, http)
        clips = await client.generate(SONG)
        assert [clip.status for clip in clips] == ["submitted", "submitted"]
        seen = []
        for step in (9, 16, 20):  # the second clip trails the first by 5 s
            clock.now += step
            seen.append([clip.status for clip in await client.feed([c.id for c in clips])])
        assert seen == [["queued", "queued"], ["streaming", "streaming"], ["complete", "complete"]]
        clock.now -= 20  # back to streaming: the early audio is already playable
        streaming = (await client.feed([clips[0].id]))[0]
        assert streaming.audio_url and "audiopipe" in streaming.audio_url and streaming.duration is None
        assert (await http.get(streaming.audio_url)).content[:4] == b"RIFF"
        clock.now += 20
        done = await client.feed([c.id for c in clips])
    assert all(clip.duration and clip.duration > 0 for clip in done)
    assert done[0].prompt == SONG.prompt and done[0].title == "Neon" and done[0].tags == "synthwave"


async def test_served_media_is_a_wav_and_a_png(sim, http):
    client = make_client(sim, http)
    done = await until_done(client, await client.generate(SONG))
    audio = await http.get(done[0].audio_url or "")
    image = await http.get(done[0].image_url or "")
    assert (
        audio.headers["content-type"] == "audio/wav"
        and audio.content[:4] == b"RIFF"
        and len(audio.content) > 10_000
    )
    assert image.headers["content-type"] == "image/png" and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert (done[0].audio_url or "").startswith(sim.base_url)


async def test_description_mode_gets_a_title_and_lyrics_from_the_simulator(sim, http):
    client = make_client(sim, http)
    done = await until_done(
        client, await client.generate(MusicRequest(gpt_description_prompt="a song about rain"))
    )
    assert done[0].title and "[Verse]" in (done[0].prompt or "")
    assert done[0].raw["metadata"]["gpt_description_prompt"] == "a song about rain"


async def test_lyrics_are_submitted_then_polled(sim, http):
    client = make_client(sim, http)
    lyrics_id = await client.generate_lyrics("summer at the harbor")

    async def complete():
        lyrics = await client.lyrics_result(lyrics_id)
        if lyrics.status != "running" and not lyrics.is_complete:
            pytest.fail(f"neither running nor complete: {lyrics}")  # at once, not retried
        assert lyrics.is_complete, lyrics
        return lyrics

    lyrics = await eventually(complete, interval=0.01)
    assert lyrics.title and "summer at the harbor" in lyrics.text


async def test_billing_drops_ten_credits_per_generation(sim, http):
    client = make_client(sim, http)
    before = await client.billing()
    await client.generate(SONG)
    after = await client.billing()
    assert before.credits_left is not None and after.credits_left == before.credits_left - 10
    assert after.monthly_usage == 10 and after.is_active is True


async def test_both_feed_shapes_and_encoded_commas(sim, http):
    if not sim.state.speaks("legacy"):
        pytest.skip("feed/ and feed/v2 are the legacy profile's")
    clips = await make_client(sim, http).generate(SONG)
    ids = [clip.id for clip in clips]
    v1 = make_client(
        sim, http, protocol=ProtocolChoice(LegacyProfile(feed_path="/api/feed/"), Web2026Profile())
    )
    assert sorted(c.id for c in await v1.feed(ids)) == sorted(ids)
    auth_header = {"Authorization": f"Bearer {v1.auth.jwt}"}
    encoded = await http.get(
        f"{sim.base_url}/api/feed/v2", params={"ids": ",".join(ids)}, headers=auth_header
    )
    assert "%2C" in str(encoded.request.url)
    assert sorted(c["id"] for c in encoded.json()["clips"]) == sorted(ids)


async def test_extras_clip_concat_stems_aligned_lyrics_and_captcha_check(sim, http):
    client = make_client(sim, http)
    done = await until_done(client, await client.generate(SONG))
    assert (await client.clip(done[0].id)).status == "complete"
    whole = await client.concat(done[0].id)
    assert whole.raw["metadata"]["type"] == "concat"
    stems = await client.stems(done[0].id)
    assert len(stems) == 2 and stems[0].raw["metadata"]["stem_from_id"] == done[0].id
    words = await client.aligned_lyrics(done[0].id)
    assert [w.word for w in words][:3] == ["neon", "rain", "on"]
    assert await client.captcha_required() is False


async def test_continuation_records_the_source_clip_in_history(sim, http):
    client = make_client(sim, http)
    [source, _] = await client.generate(SONG)
    extended = await client.generate(
        MusicRequest(prompt="more", continue_clip_id=source.id, continue_at=12.5)
    )
    assert extended[0].raw["metadata"]["history"][0] == {
        "id": source.id,
        "continue_at": 12.5,
        "type": "gen",
        "source": "web",
        "infill": False,
    }


@pytest.mark.parametrize(
    ("keyword", "error"),
    [
        ("402", InsufficientCredits),
        ("422", CaptchaRequired),
        ("429", RateLimited),
        ("500", UpstreamUnavailable),
        ("400", UpstreamRejected),
        ("badjson", SubmitOutcomeUnknown),  # a 200 that cannot be read may have made the clips
        ("401", AuthExpired),
    ],
)
async def test_prompt_keywords_fail_generate_once_each(sim, http, keyword, error):
    client = make_client(sim, http)
    with pytest.raises(error):
        await client.generate(MusicRequest(prompt=f"[sim:{keyword}] la la"))
    # Never retried blindly; a 401 gets exactly one re-exchange and one more try.
    assert sim.state.calls["generate"] == (2 if keyword == "401" else 1)
    assert sim.state.account("default").credits == 500


async def test_clip_error_keyword_ends_clips_in_error_with_a_message(sim, http):
    client = make_client(sim, http)
    done = await until_done(client, await client.generate(MusicRequest(prompt="[sim:clip-error] oops")))
    assert {clip.status for clip in done} == {"error"}
    assert "Simulated failure" in (done[0].error_message or "")
    assert (done[0].audio_url or "").endswith("None.mp3")


async def test_injected_server_error_on_feed_is_retried(sim, http):
    client = make_client(sim, http)
    clips = await client.generate(SONG)
    sim.inject("500", "feed")
    assert len(await client.feed([c.id for c in clips])) == 2
    assert sim.state.calls["feed"] == 2


async def test_injected_401_is_healed_by_one_token_exchange(sim, http):
    client = make_client(sim, http)
    await client.billing()
    sim.state.revoke_tokens()  # Suno forgets every token it issued
    assert (await client.billing()).credits_left == 500
    assert sim.state.tokens_issued == 2


async def test_slow_reply_beyond_the_timeout_is_unavailable(sim):
    async with httpx.AsyncClient(timeout=0.1) as impatient:
        client = make_client(sim, impatient, read_attempts=1)
        await client.auth.token()
        sim.inject("slow", "billing")
        with pytest.raises(UpstreamUnavailable, match="timed out"):
            await client.billing()


async def test_slow_reply_within_the_timeout_succeeds(sim, http):
    client = make_client(sim, http)
    sim.inject("slow", "billing")
    started = time.perf_counter()
    await client.billing()
    assert time.perf_counter() - started >= 0.5


async def test_clerk_requires_captcha_reaches_the_pool_caller(sim, http):
    pool = build_upstream(sim.settings(), http_client=http)
    sim.inject("captcha", "clerk_token")
    with pytest.raises(CaptchaRequired, match=r"log in to suno\.com"):
        await pool.generate(SONG, in_flight={})


async def test_faults_can_be_injected_over_http(sim, http):
    client = make_client(sim, http)
    reply = await http.post(f"{sim.base_url}/_sim/faults", json={"kind": "402", "endpoint": "generate"})
    assert reply.status_code == 200
    with pytest.raises(InsufficientCredits):
        await client.generate(SONG)
    await client.generate(SONG)  # the fault was used up
    state = (await http.get(f"{sim.base_url}/_sim/state")).json()
    assert state["calls"]["generate"] == 2 and state["faults"] == []


async def test_simulator_settings_keep_the_simulator_mode(sim):
    settings = sim.settings(Settings(cookie="", account_concurrency=3))
    assert settings.uses_simulator and settings.cookie and settings.base_url == sim.base_url
    assert AccountConfig("x", settings.cookie).name == "x"
