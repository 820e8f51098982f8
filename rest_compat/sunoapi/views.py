"""Domain values as sunoapi.org's JSON: record-info of music and lyrics tasks, the WAV record, callbacks' clips."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from rest_compat.sunoapi.wire import SUNO_TO_MODEL
from suno.assets.links import clip_links
from suno.assets.model import Asset, AssetState
from suno.assets.views import AssetView
from suno.models import Clip, LyricsRequest, MusicRequest, Task, TaskStatus
from suno.store.webhook_outbox import FIRST, TEXT, reached_stages

Views = Mapping[str, Sequence[AssetView]]
# Words in a failure that mean Suno's moderation refused the text.
_SENSITIVE = ("moderation", "sensitive", "prohibited", "policy", "copyright")


def music_status(task: Task) -> str:
    if task.status is TaskStatus.SUCCESS:
        return "SUCCESS"
    if task.status is TaskStatus.FAILURE:
        return failure_status(task, "GENERATE_AUDIO_FAILED")
    reached = reached_stages(task)
    if FIRST in reached:
        return "FIRST_SUCCESS"
    if TEXT in reached:
        return "TEXT_SUCCESS"
    return "PENDING"


def lyrics_status(task: Task) -> str:
    if task.status is TaskStatus.SUCCESS:
        return "SUCCESS"
    if task.status is TaskStatus.FAILURE:
        return failure_status(task, "GENERATE_LYRICS_FAILED")
    return "PENDING"


def failure_status(task: Task, generic: str) -> str:
    reason = task.fail_reason.lower()
    if any(word in reason for word in _SENSITIVE):
        return "SENSITIVE_WORD_ERROR"
    # Never reached Suno (refused when sent): the task itself could not be created.
    return generic if task.upstream_ids else "CREATE_TASK_FAILED"


def epoch_ms(iso: str | None, fallback: float) -> int:
    if iso:
        try:
            return int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            pass
    return int(fallback * 1000)


def suno_data(task: Task, views: Views, *, snake: bool = False) -> list[dict[str, Any]]:
    """The clips as `sunoData` (camelCase, record-info) or the callbacks' `data` (snake_case)."""
    return [clip_entry(clip, views.get(clip.id, ()), task.submit_time, snake) for clip in task.clips]


def clip_entry(clip: Clip, views: Sequence[AssetView], submitted: float, snake: bool) -> dict[str, Any]:
    links = clip_links(clip, views)
    finished = clip.status == "complete"
    entry = {
        "id": clip.id,
        # The whole file once the clip is complete (sunoql's copy when mirrored); before, the live stream.
        "audioUrl": (links.audio_url or "") if finished else "",
        "streamAudioUrl": clip.audio_url or "",
        "imageUrl": links.image_url or "",
        "prompt": clip.prompt or "",
        "modelName": clip.model_name or "",
        "title": clip.title,
        "tags": clip.tags or "",
        "createTime": epoch_ms(clip.created_at, submitted),
        "duration": clip.duration,
    }
    if not snake:
        return entry
    names = {"audioUrl": "audio_url", "streamAudioUrl": "stream_audio_url", "imageUrl": "image_url"}
    names |= {"modelName": "model_name"}
    return {names.get(key, key): value for key, value in entry.items()}


def music_param(task: Task) -> str:
    """The request as the contract's JSON string, re-serialised from what sunoql stored."""
    request = task.request
    if not isinstance(request, MusicRequest):
        return "{}"
    custom = not request.is_inspiration_mode
    param: dict[str, Any] = {
        "prompt": request.prompt if custom else request.gpt_description_prompt,
        "customMode": custom,
        "instrumental": request.make_instrumental,
        "model": SUNO_TO_MODEL.get(request.mv, request.mv),
    }
    optional = {
        "style": request.tags,
        "title": request.title,
        "negativeTags": request.negative_tags,
        "vocalGender": request.vocal_gender.value[0] if request.vocal_gender else None,
        "styleWeight": request.style_weight,
        "weirdnessConstraint": request.weirdness,
        "audioWeight": request.audio_weight,
        "personaId": request.persona_id,
        "audioId": request.continue_clip_id,
        "continueAt": request.continue_at,
        "callBackUrl": task.webhook_url,
    }
    param |= {key: value for key, value in optional.items() if value not in (None, "")}
    return json.dumps(param, ensure_ascii=False)


def music_record(task: Task, views: Views) -> dict[str, Any]:
    request = task.request
    extend = isinstance(request, MusicRequest) and request.is_continuation
    parent = request.continue_clip_id if isinstance(request, MusicRequest) else None
    status = music_status(task)
    failed = task.status is TaskStatus.FAILURE
    return {
        "taskId": task.id,
        "parentMusicId": parent or "",
        "param": music_param(task),
        "response": {"taskId": task.id, "sunoData": suno_data(task, views)},
        "status": status,
        "type": "EXTEND" if extend else "GENERATE",
        "operationType": "extend" if extend else "generate",
        "errorCode": (501 if status != "SENSITIVE_WORD_ERROR" else 400) if failed else None,
        "errorMessage": (task.fail_reason or None) if failed else None,
        "createTime": int(task.submit_time * 1000),
    }


def lyrics_entries(task: Task) -> list[dict[str, Any]]:
    if task.lyrics is None:
        return []
    lyrics = task.lyrics
    return [
        {
            "text": lyrics.text,
            "title": lyrics.title,
            "status": lyrics.status or "complete",
            "errorMessage": task.fail_reason if task.status is TaskStatus.FAILURE else "",
        }
    ]


def lyrics_record(task: Task) -> dict[str, Any]:
    entries = lyrics_entries(task)
    request = task.request
    prompt = request.prompt if isinstance(request, LyricsRequest) else ""
    param = {"prompt": prompt} | ({"callBackUrl": task.webhook_url} if task.webhook_url else {})
    failed = task.status is TaskStatus.FAILURE
    return {
        "taskId": task.id,
        "param": json.dumps(param, ensure_ascii=False),
        "response": {"taskId": task.id, "data": entries, "lyricsData": entries},
        "status": lyrics_status(task),
        "type": "LYRICS",
        "errorCode": 500 if failed else None,
        "errorMessage": (task.fail_reason or None) if failed else None,
        "createTime": int(task.submit_time * 1000),
    }


def wav_record(record_id: str, task: Task, clip_id: str, asset: Asset | None, url: str) -> dict[str, Any]:
    """The WAV conversion as the contract shows it, from the asset mirror's WAV row of the clip."""
    flag = "PENDING"
    if asset is not None and asset.state is AssetState.READY:
        flag = "SUCCESS"
    elif asset is not None and asset.state in (AssetState.FAILED, AssetState.UNAVAILABLE, AssetState.EXPIRED):
        flag = "GENERATE_WAV_FAILED"
    return {
        "taskId": record_id,
        "musicId": clip_id,
        "musicTaskId": task.id,
        "callbackUrl": "",
        "response": {"audioWavUrl": url if flag == "SUCCESS" else ""},
        "successFlag": flag,
        "createTime": int((asset.created_at if asset else task.submit_time) * 1000),
        "completeTime": int(asset.updated_at * 1000) if asset and flag == "SUCCESS" else None,
        "errorCode": 500 if flag == "GENERATE_WAV_FAILED" else None,
        "errorMessage": (asset.detail or asset.reason.value)
        if asset and flag == "GENERATE_WAV_FAILED"
        else None,
    }


# Suno's stem groups → the contract's record-info fields (Suno spells "Keyboard" where it says piano).
STEM_FIELDS = {
    "Vocals": "vocalUrl",
    "Backing_Vocals": "backingVocalsUrl",
    "Drums": "drumsUrl",
    "Bass": "bassUrl",
    "Guitar": "guitarUrl",
    "Keyboard": "keyboardUrl",
    "Percussion": "percussionUrl",
    "Strings": "stringsUrl",
    "Synth": "synthUrl",
    "FX": "fxUrl",
    "Brass": "brassUrl",
    "Woodwinds": "woodwindsUrl",
    "Instrumental": "instrumentalUrl",
}
_GROUP_IN_TITLE = {group.replace("_", " ").lower(): group for group in STEM_FIELDS}


def stem_group(clip: Clip) -> str | None:
    """The group of a stem clip: Suno names each stem "<song title> (<group>)"."""
    title = (clip.title or "").strip()
    if not title.endswith(")") or "(" not in title:
        return None
    inside = title[title.rindex("(") + 1 : -1].strip().replace("_", " ").lower()
    return _GROUP_IN_TITLE.get(inside)


def operation_flag(task: Task, failed: str) -> str:
    if task.status is TaskStatus.SUCCESS:
        return "SUCCESS"
    if task.status is TaskStatus.FAILURE:
        return failed if task.upstream_ids or task.clips else "CREATE_TASK_FAILED"
    return "PENDING"


def _operation_record(task: Task, flag: str, response: dict[str, Any]) -> dict[str, Any]:
    failed = task.status is TaskStatus.FAILURE
    source = task.source_clip_id or ""
    return {
        "taskId": task.id,
        "musicId": source,
        "audioId": source,
        "musicTaskId": task.source_task_id or "",
        "callbackUrl": task.webhook_url or "",
        "response": response,
        "successFlag": flag,
        "createTime": int(task.submit_time * 1000),
        "completeTime": int(task.finish_time * 1000) if task.finish_time and flag == "SUCCESS" else None,
        "errorCode": 500 if failed else None,
        "errorMessage": (task.fail_reason or None) if failed else None,
    }


def stems_record(task: Task, views: Views) -> dict[str, Any]:
    """A STEMS task as vocal-removal record-info: one link per stem group, null for the missing ones."""
    flag = operation_flag(task, "GENERATE_AUDIO_FAILED")
    done = flag == "SUCCESS"
    response: dict[str, Any] = {"originUrl": None} | {field: None for field in STEM_FIELDS.values()}
    origin: list[dict[str, Any]] = []
    for clip in task.clips:
        group = stem_group(clip)
        url = clip_links(clip, views.get(clip.id, ())).audio_url if done else None
        origin.append(
            {"id": clip.id, "audio_url": url, "stem_type_group_name": group, "duration": clip.duration}
        )
        if group is not None and url:
            response[STEM_FIELDS[group]] = url
    response["originData"] = origin
    return _operation_record(task, flag, response)


def video_url(task: Task, views: Views) -> str | None:
    for clip in task.clips:
        url = clip_links(clip, views.get(clip.id, ())).video_url
        if url:
            return url
    found = (task.result or {}).get("video_url")
    return found if isinstance(found, str) and found else None


def video_record(task: Task, views: Views) -> dict[str, Any]:
    flag = operation_flag(task, "GENERATE_MP4_FAILED")
    url = video_url(task, views) if flag == "SUCCESS" else None
    return _operation_record(task, flag, {"videoUrl": url})
