"""The OpenAPI operations of sunoapi.org's /api/v1/* routes, with the contract's example bodies."""

from __future__ import annotations

from typing import Any

from rest_compat.openapi import Body, Operation, Parameter, Reply
from rest_compat.sunoapi.wire import (
    Envelope,
    ExtendBody,
    GenerateBody,
    LyricsBody,
    Mp4Body,
    VocalRemovalBody,
    WavBody,
)

TAG = "sunoapi.org (/api/v1/*)"
EXAMPLE = '{"customMode": false, "instrumental": false, "model": "V5", "prompt": "…"}'
TASK_ID = "5c79e0b4-3f1e-4c62-9e59-55e7d1a0be8e"
CODES = (
    "Always HTTP 200; `code` says: 200 success, 400 bad parameters, 401 unauthorized, 404 not found, "
    "413 too long, 429 insufficient credits, 430 too frequent, 455 maintenance, 500 server error."
)


def _answer(data: Any, description: str = "The envelope (see `code`)") -> dict[int | str, Reply]:
    return {
        200: Reply(description, Envelope, examples={"success": {"code": 200, "msg": "success", "data": data}})
    }


def _task_query() -> tuple[Parameter, ...]:
    return (
        Parameter("taskId", "query", "The taskId the submission answered", required=True, example=TASK_ID),
    )


GENERATE = Operation(
    summary="Generate music",
    description="customMode false: prompt is a description (500 characters). customMode true: style and "
    "title, and prompt (the lyrics) unless instrumental; limits per model. " + CODES,
    tags=(TAG,),
    body=Body(
        GenerateBody,
        examples={
            "description": {
                "customMode": False,
                "instrumental": False,
                "model": "V5",
                "prompt": "A calm piano track",
            },
            "custom": {
                "customMode": True,
                "instrumental": False,
                "model": "V5",
                "prompt": "[Verse]\nNight city lights",
                "style": "synthwave",
                "title": "Night City",
                "callBackUrl": "https://example.com/suno-callback",
            },
        },
    ),
    replies=_answer({"taskId": TASK_ID}),
    secured=True,
    operation_id="sunoapiGenerate",
)
EXTEND = Operation(
    summary="Extend music",
    description="defaultParamFlag true: prompt, style, title and continueAt are given; false: the source "
    "clip's settings, from its end. " + CODES,
    tags=(TAG,),
    body=Body(
        ExtendBody, examples={"extend": {"defaultParamFlag": False, "audioId": "e231…", "model": "V5"}}
    ),
    replies=_answer({"taskId": TASK_ID}),
    secured=True,
    operation_id="sunoapiExtend",
)
RECORD_INFO = Operation(
    summary="Music task details",
    description="status: PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS, CREATE_TASK_FAILED, "
    "GENERATE_AUDIO_FAILED or SENSITIVE_WORD_ERROR; response.sunoData[] the clips. " + CODES,
    tags=(TAG,),
    parameters=_task_query(),
    replies=_answer(
        {"taskId": TASK_ID, "status": "SUCCESS", "response": {"taskId": TASK_ID, "sunoData": []}}
    ),
    secured=True,
    operation_id="sunoapiRecordInfo",
)
CREDIT = Operation(
    summary="Credits left",
    description="`data` is the credits left, summed over every Suno account. " + CODES,
    tags=(TAG,),
    replies=_answer(100),
    secured=True,
    operation_id="sunoapiCredit",
)
LYRICS = Operation(
    summary="Generate lyrics",
    description="prompt: at most 200 words. " + CODES,
    tags=(TAG,),
    body=Body(LyricsBody, examples={"lyrics": {"prompt": "A song about the sea at night"}}),
    replies=_answer({"taskId": TASK_ID}),
    secured=True,
    operation_id="sunoapiLyrics",
)
LYRICS_INFO = Operation(
    summary="Lyrics task details",
    description="The lyrics under both response.data and response.lyricsData. " + CODES,
    tags=(TAG,),
    parameters=_task_query(),
    replies=_answer({"taskId": TASK_ID, "status": "SUCCESS", "response": {"data": [], "lyricsData": []}}),
    secured=True,
    operation_id="sunoapiLyricsInfo",
)
WAV = Operation(
    summary="Convert a finished clip to WAV",
    description="sunoql's asset mirror makes the lossless copy; poll /api/v1/wav/record-info. " + CODES,
    tags=(TAG,),
    body=Body(WavBody, examples={"wav": {"taskId": TASK_ID, "audioId": "e231…"}}),
    replies=_answer({"taskId": "wav-e231…"}),
    secured=True,
    operation_id="sunoapiWav",
)
WAV_INFO = Operation(
    summary="WAV conversion details",
    description="successFlag: PENDING, SUCCESS or GENERATE_WAV_FAILED; response.audioWavUrl once ready. "
    + CODES,
    tags=(TAG,),
    parameters=_task_query(),
    replies=_answer({"taskId": "wav-e231…", "successFlag": "SUCCESS", "response": {"audioWavUrl": "…"}}),
    secured=True,
    operation_id="sunoapiWavInfo",
)

VOCAL_REMOVAL = Operation(
    summary="Separate a finished clip's vocals (stems)",
    description="One stems task on audioId for all twelve groups (vocals, backing vocals, drums, bass, …), "
    "whatever `type` says: poll /api/v1/vocal-removal/record-info. " + CODES,
    tags=(TAG,),
    body=Body(VocalRemovalBody, examples={"stems": {"taskId": TASK_ID, "audioId": "e231…"}}),
    replies=_answer({"taskId": TASK_ID}),
    secured=True,
    operation_id="sunoapiVocalRemoval",
)
VOCAL_REMOVAL_INFO = Operation(
    summary="Vocal separation details",
    description="successFlag: PENDING, SUCCESS, CREATE_TASK_FAILED or GENERATE_AUDIO_FAILED; response "
    "has vocalUrl, instrumentalUrl (when Suno made one), the other stems' links, and originData. " + CODES,
    tags=(TAG,),
    parameters=_task_query(),
    replies=_answer({"taskId": TASK_ID, "successFlag": "SUCCESS", "response": {"vocalUrl": "…"}}),
    secured=True,
    operation_id="sunoapiVocalRemovalInfo",
)
MP4 = Operation(
    summary="Make a music video of a finished clip",
    description="A video task on audioId: poll /api/v1/mp4/record-info. " + CODES,
    tags=(TAG,),
    body=Body(Mp4Body, examples={"mp4": {"taskId": TASK_ID, "audioId": "e231…"}}),
    replies=_answer({"taskId": TASK_ID}),
    secured=True,
    operation_id="sunoapiMp4",
)
MP4_INFO = Operation(
    summary="Music video details",
    description="successFlag: PENDING, SUCCESS, CREATE_TASK_FAILED or GENERATE_MP4_FAILED; "
    "response.videoUrl once ready. " + CODES,
    tags=(TAG,),
    parameters=_task_query(),
    replies=_answer({"taskId": TASK_ID, "successFlag": "SUCCESS", "response": {"videoUrl": "…"}}),
    secured=True,
    operation_id="sunoapiMp4Info",
)


def not_yet(path: str, what: str) -> Operation:
    return Operation(
        summary=f"Not available yet: {what}",
        description="Answers code 501: the contract's source is an uploadUrl, which this door does not "
        "fetch yet; upload the file through another door, then extend or cover its clip.",
        tags=(TAG,),
        replies=_answer(None, "code 501: not available yet"),
        secured=True,
        operation_id="sunoapi" + "".join(part.title() for part in path.replace("-", "/").split("/")),
    )
