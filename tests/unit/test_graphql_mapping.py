"""Domain values map to GraphQL objects (the types' from_domain) faithfully; GraphQL inputs map to the original's field names."""

from __future__ import annotations

from datetime import UTC, datetime

from resolvers.tasks import music_order
from schema.account import Account
from schema.enums import TASK_ACTION_OF, TASK_STATUS_OF, VOCAL_GENDER_OF, TaskAction, TaskStatus, VocalGender
from schema.inputs import GenerateMusicInput
from schema.types import LyricsRequest, MusicRequest
from schema.types import Task as GraphQLTask
from suno.models import AccountStatus, Clip, Lyrics, Task
from suno.models import LyricsRequest as DomainLyricsRequest
from suno.models import MusicRequest as DomainMusicRequest
from suno.models import TaskAction as DomainTaskAction
from suno.models import TaskStatus as DomainTaskStatus
from suno.models import VocalGender as DomainVocalGender
from suno.requests import music_request


def test_a_music_task_maps_with_times_clips_and_request_echo() -> None:
    clip = Clip.from_upstream(
        {
            "id": "c1",
            "status": "complete",
            "title": "Rain",
            "audio_url": "https://cdn.example/c1.mp3",
            "created_at": "2024-05-03T12:00:00.000Z",
            "media_urls": [{"url": "https://x/c1.m4a"}],
            "metadata": {"tags": "pop", "duration": 31.5, "prompt": "la la"},
        }
    )
    request = DomainMusicRequest(
        prompt="[Verse]\nla",
        tags="pop",
        vocal_gender=DomainVocalGender.FEMALE,
        mv="chirp-v4",
        continue_clip_id="c0",
        continue_at=12.5,
        continue_task_id="t0",
    )
    task = Task(
        id="t1",
        action=DomainTaskAction.MUSIC,
        status=DomainTaskStatus.SUCCESS,
        request=request,
        clips=(clip,),
        submit_time=1_700_000_000.0,
        start_time=1_700_000_001.0,
        finish_time=1_700_000_060.5,
        updated_at=1_700_000_060.5,
    )
    shown = GraphQLTask.from_domain(task)
    assert (shown.id, shown.action, shown.status, shown.progress) == (
        "t1",
        TaskAction.MUSIC,
        TaskStatus.SUCCESS,
        "100%",
    )
    assert shown.fail_reason is None
    assert shown.submitted_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert shown.finished_at is not None and shown.finished_at.timestamp() == 1_700_000_060.5
    assert shown.source_task_id == "t0"
    assert isinstance(shown.request, MusicRequest)
    assert shown.request.vocal_gender is VocalGender.FEMALE and shown.request.model == "chirp-v4"
    assert (shown.request.continue_clip_id, shown.request.continue_at) == ("c0", 12.5)
    (shown_clip,) = shown.clips
    assert shown_clip.created_at == datetime(2024, 5, 3, 12, tzinfo=UTC)
    assert (shown_clip.duration, shown_clip.tags, shown_clip.prompt) == (31.5, "pop", "la la")
    assert shown_clip.raw["media_urls"] == [{"url": "https://x/c1.m4a"}]  # type: ignore[index]


def test_a_lyrics_task_maps_its_lyrics_and_has_no_continuation() -> None:
    task = Task(
        id="t2",
        action=DomainTaskAction.LYRICS,
        status=DomainTaskStatus.FAILURE,
        request=DomainLyricsRequest(prompt="rain"),
        lyrics=Lyrics(id="l1", status="complete", title="Rain", text="[Verse]\nrain"),
        fail_reason="timeout",
        submit_time=1.0,
    )
    shown = GraphQLTask.from_domain(task)
    assert shown.fail_reason == "timeout" and shown.started_at is None
    assert isinstance(shown.request, LyricsRequest) and shown.request.prompt == "rain"
    assert shown.lyrics is not None and (shown.lyrics.title, shown.lyrics.text) == ("Rain", "[Verse]\nrain")
    assert shown.source_task_id is None


def test_an_unparseable_suno_time_is_left_out() -> None:
    clip = Clip.from_upstream({"id": "c", "status": "queued", "created_at": "yesterday"})
    task = Task(
        "t", DomainTaskAction.MUSIC, DomainTaskStatus.QUEUED, DomainMusicRequest(prompt="x"), clips=(clip,)
    )
    assert GraphQLTask.from_domain(task).clips[0].created_at is None


def test_graphql_input_becomes_the_original_request_fields() -> None:
    given = GenerateMusicInput(
        prompt="[Verse]\nla",
        tags="pop",
        vocal_gender=VocalGender.MALE,
        model="suno-v3.5",
        continue_clip_id="c0",  # type: ignore[arg-type]
        continue_at=3.0,
        continue_task_id="t0",  # type: ignore[arg-type]
    )
    request = music_request(music_order(given))
    assert request.mv == "chirp-v3-5"
    assert request.vocal_gender is DomainVocalGender.MALE
    assert (request.continue_clip_id, request.continue_at, request.continue_task_id) == ("c0", 3.0, "t0")


def test_account_sums_the_pool_and_reports_the_freshest_token_age() -> None:
    accounts = [
        AccountStatus(
            "a",
            credits_left=40,
            monthly_limit=50,
            monthly_usage=10,
            period="month",
            is_active=True,
            last_token_refresh=990.0,
        ),
        AccountStatus("b", credits_left=None, healthy=False, last_token_refresh=900.0),
    ]
    shown = Account.from_domain(accounts, now=1000.0)
    assert (shown.credits_left, shown.monthly_limit, shown.monthly_usage, shown.period) == (
        40,
        50,
        10,
        "month",
    )
    assert shown.active is True and shown.token_age_seconds == 10.0
    assert [m.name for m in shown.accounts] == ["a", "b"] and shown.accounts[1].healthy is False


def test_every_domain_status_action_and_voice_maps_to_its_graphql_member_by_name() -> None:
    assert [TASK_STATUS_OF[m].name for m in DomainTaskStatus] == [m.name for m in DomainTaskStatus]
    assert [TASK_ACTION_OF[m].name for m in DomainTaskAction] == [m.name for m in DomainTaskAction]
    assert [VOCAL_GENDER_OF[m].name for m in DomainVocalGender] == [m.name for m in DomainVocalGender]
