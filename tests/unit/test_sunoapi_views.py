"""sunoapi.org's shapes from domain values: statuses, the re-serialised param, clips, lyrics, callbacks."""

from __future__ import annotations

import json
from typing import Any

from rest_compat.sunoapi.callbacks import lyrics_callback, sunoapi_callback_renderer
from rest_compat.sunoapi.views import (
    lyrics_record,
    music_param,
    music_record,
    music_status,
    stem_group,
    stems_record,
    video_record,
)
from suno.models import (
    Clip,
    Lyrics,
    LyricsRequest,
    MusicRequest,
    OperationRequest,
    Task,
    TaskAction,
    TaskStatus,
    VocalGender,
)


def song(status: TaskStatus, *states: str, fail_reason: str = "", upstream: bool = True) -> Task:
    clips = tuple(
        Clip(
            id=f"c{i}",
            status=state,
            title="Night",
            audio_url=f"https://cdn/c{i}.mp3",
            created_at="2026-01-01T00:00:00Z",
            duration=120.0,
        )
        for i, state in enumerate(states)
    )
    request = MusicRequest(
        prompt="[Verse] la", tags="synthwave", title="Night", mv="chirp-crow", style_weight=0.5
    )
    return Task(
        id="t",
        action=TaskAction.MUSIC,
        status=status,
        request=request,
        clips=clips,
        fail_reason=fail_reason,
        upstream_ids=tuple(c.id for c in clips) if upstream else (),
        submit_time=1_700_000_000.0,
    )


def test_statuses_follow_the_stages() -> None:
    assert music_status(song(TaskStatus.SUBMITTED, "submitted")) == "PENDING"
    assert music_status(song(TaskStatus.IN_PROGRESS, "streaming", "queued")) == "TEXT_SUCCESS"
    assert music_status(song(TaskStatus.IN_PROGRESS, "complete", "streaming")) == "FIRST_SUCCESS"
    assert music_status(song(TaskStatus.SUCCESS, "complete", "complete")) == "SUCCESS"
    assert (
        music_status(song(TaskStatus.FAILURE, "error", fail_reason="Suno: boom")) == "GENERATE_AUDIO_FAILED"
    )
    assert (
        music_status(song(TaskStatus.FAILURE, fail_reason="refused", upstream=False)) == "CREATE_TASK_FAILED"
    )
    assert (
        music_status(song(TaskStatus.FAILURE, "error", fail_reason="moderation: lyrics"))
        == "SENSITIVE_WORD_ERROR"
    )


def test_param_is_the_request_in_the_contracts_names() -> None:
    param = json.loads(music_param(song(TaskStatus.SUCCESS)))
    assert param == {
        "prompt": "[Verse] la",
        "customMode": True,
        "instrumental": False,
        "model": "V5",
        "style": "synthwave",
        "title": "Night",
        "styleWeight": 0.5,
    }
    description = Task(
        id="d",
        action=TaskAction.MUSIC,
        status=TaskStatus.SUBMITTED,
        request=MusicRequest(
            gpt_description_prompt="calm piano", vocal_gender=VocalGender.MALE, mv="odd-model"
        ),
        webhook_url="https://example.com/h",
    )
    assert json.loads(music_param(description)) == {
        "prompt": "calm piano",
        "customMode": False,
        "instrumental": False,
        "model": "odd-model",
        "vocalGender": "m",
        "callBackUrl": "https://example.com/h",
    }


def test_record_shows_the_whole_file_only_once_a_clip_is_complete() -> None:
    record = music_record(song(TaskStatus.IN_PROGRESS, "complete", "streaming"), {})
    first, second = record["response"]["sunoData"]
    assert first["audioUrl"] == "https://cdn/c0.mp3" and second["audioUrl"] == ""
    assert second["streamAudioUrl"] == "https://cdn/c1.mp3"
    assert first["createTime"] == 1_767_225_600_000 and first["duration"] == 120.0
    assert record["status"] == "FIRST_SUCCESS" and record["type"] == "GENERATE"
    assert record["errorCode"] is None and record["createTime"] == 1_700_000_000_000


def lyrics_task(status: TaskStatus) -> Task:
    return Task(
        id="l",
        action=TaskAction.LYRICS,
        status=status,
        request=LyricsRequest(prompt="the sea"),
        lyrics=Lyrics(id="x", status="complete", title="Sea", text="[Verse] waves")
        if status is TaskStatus.SUCCESS
        else None,
        fail_reason="boom" if status is TaskStatus.FAILURE else "",
        upstream_ids=("x",),
    )


def test_lyrics_are_under_data_and_lyrics_data() -> None:
    record = lyrics_record(lyrics_task(TaskStatus.SUCCESS))
    assert record["status"] == "SUCCESS"
    assert (
        record["response"]["data"]
        == record["response"]["lyricsData"]
        == [{"text": "[Verse] waves", "title": "Sea", "status": "complete", "errorMessage": ""}]
    )
    failed = lyrics_record(lyrics_task(TaskStatus.FAILURE))
    assert failed["status"] == "GENERATE_LYRICS_FAILED" and failed["errorMessage"] == "boom"
    assert lyrics_callback(lyrics_task(TaskStatus.FAILURE), "error")["code"] == 500


class NoViews:
    async def task_views(self, tasks: Any, base_url: str = "") -> dict[str, Any]:
        return {}


async def test_callbacks_have_the_contracts_body() -> None:
    render = sunoapi_callback_renderer(NoViews(), "")  # type: ignore[arg-type]
    complete = await render(song(TaskStatus.SUCCESS, "complete", "complete"), "complete")
    assert complete["code"] == 200 and complete["msg"] == "All generated successfully."
    assert complete["data"]["callbackType"] == "complete" and complete["data"]["task_id"] == "t"
    clip = complete["data"]["data"][0]
    assert {
        "id",
        "audio_url",
        "stream_audio_url",
        "image_url",
        "prompt",
        "model_name",
        "title",
        "tags",
    } <= set(clip)
    assert "audioUrl" not in clip
    error = await render(song(TaskStatus.FAILURE, "error", fail_reason="Suno: boom"), "error")
    assert error == {
        "code": 501,
        "msg": "Suno: boom",
        "data": {"callbackType": "error", "task_id": "t", "data": None},
    }


def operation(action: TaskAction, status: TaskStatus, *clips: Clip, reached: bool = True) -> Task:
    return Task(
        id="op",
        action=action,
        status=status,
        request=OperationRequest(clip_id="src"),
        clips=clips,
        upstream_ids=tuple(c.id for c in clips) if reached else (),
        fail_reason="Suno: boom" if status is TaskStatus.FAILURE else "",
        submit_time=1_700_000_000.0,
        finish_time=1_700_000_100.0,
        source_clip_id="src",
        source_task_id="song",
    )


def stem(clip_id: str, group: str) -> Clip:
    return Clip(
        id=clip_id, status="complete", title=f"Night ({group})", audio_url=f"https://cdn/{clip_id}.mp3"
    )


def test_stem_groups_come_from_suno_titles() -> None:
    assert stem_group(stem("a", "Backing Vocals")) == "Backing_Vocals"
    assert stem_group(stem("a", "FX")) == "FX"
    assert stem_group(Clip(id="a", status="complete", title="Night (live)")) is None
    assert stem_group(Clip(id="a", status="complete", title="Night")) is None


async def test_stems_and_video_records_and_callbacks_have_the_contracts_fields() -> None:
    done = operation(TaskAction.STEMS, TaskStatus.SUCCESS, stem("v", "Vocals"), stem("d", "Drums"))
    record = stems_record(done, {})
    assert (
        record["successFlag"] == "SUCCESS" and record["musicId"] == "src" and record["musicTaskId"] == "song"
    )
    assert record["completeTime"] == 1_700_000_100_000 and record["errorCode"] is None
    response = record["response"]
    assert response["vocalUrl"] == "https://cdn/v.mp3" and response["drumsUrl"] == "https://cdn/d.mp3"
    assert response["instrumentalUrl"] is None and len(response["originData"]) == 2
    running = stems_record(operation(TaskAction.STEMS, TaskStatus.IN_PROGRESS, stem("v", "Vocals")), {})
    assert running["successFlag"] == "PENDING" and running["response"]["vocalUrl"] is None
    never = stems_record(operation(TaskAction.STEMS, TaskStatus.FAILURE, reached=False), {})
    assert never["successFlag"] == "CREATE_TASK_FAILED" and never["errorMessage"] == "Suno: boom"
    filmed = Clip(id="src", status="complete", title="Night", video_url="https://cdn/v.mp4")
    video = video_record(operation(TaskAction.VIDEO, TaskStatus.SUCCESS, filmed), {})
    assert video["successFlag"] == "SUCCESS" and video["response"] == {"videoUrl": "https://cdn/v.mp4"}
    render = sunoapi_callback_renderer(NoViews(), "")  # type: ignore[arg-type]
    stems_hit = await render(done, "complete")
    assert stems_hit["data"]["task_id"] == "op"
    assert stems_hit["data"]["vocal_removal_info"]["vocal_url"] == "https://cdn/v.mp3"
    assert stems_hit["data"]["vocal_removal_info"]["backing_vocals_url"] is None
    video_hit = await render(operation(TaskAction.VIDEO, TaskStatus.SUCCESS, filmed), "complete")
    assert video_hit == {
        "code": 200,
        "msg": "MP4 generated successfully.",
        "data": {"task_id": "op", "video_url": "https://cdn/v.mp4"},
    }
