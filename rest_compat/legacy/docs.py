"""The OpenAPI operations of the legacy routes, with the original README's examples and new-api's bodies."""

from __future__ import annotations

from typing import Any

from rest_compat.clip_lists import MAX_CLIP_IDS
from rest_compat.failures import UPSTREAM_STATUSES
from rest_compat.legacy.wire import (
    MAX_FETCH_IDS,
    AccountReply,
    ChallengeReply,
    ChallengeSolution,
    ClipList,
    ErrorReply,
    FetchMany,
    FetchManyReply,
    FetchOneReply,
    GenerateReply,
    LyricsSubmission,
    ModelsReply,
    MusicSubmission,
    TaskIdReply,
)
from rest_compat.openapi import Body, Link, Operation, Parameter, Reply

TAG = "Suno (original REST contract)"
TASK_ID = "3f2a1b4c-8e7d-4f9a-bc12-d3e4f5a6b7c8"

# The original README's request examples, verbatim.
README_CUSTOM_MODE: dict[str, Any] = {
    "title": "Midnight Drive",
    "prompt": "[Verse]\nCity lights blur past the window\nEngine hum cuts through the night\n\n"
    "[Chorus]\nMidnight drive, nowhere to go\nJust the road and the radio glow",
    "tags": "synthwave, cinematic, atmospheric",
    "negative_tags": "metal, aggressive",
    "vocal_gender": "female",
    "mv": "chirp-fenix",
    "make_instrumental": False,
}
README_INSPIRATION_MODE: dict[str, Any] = {
    "gpt_description_prompt": "An uplifting acoustic folk song about new beginnings in spring",
    "mv": "chirp-fenix",
}
README_INSTRUMENTAL: dict[str, Any] = {
    "gpt_description_prompt": "Epic orchestral battle theme",
    "make_instrumental": True,
    "mv": "chirp-fenix",
}
# What new-api/one-api send as a Suno channel: empty strings omitted, its own fields always present.
NEW_API_MUSIC: dict[str, Any] = {
    "prompt": "[Verse]\nNeon rain on the boulevard",
    "mv": "chirp-v3-0",
    "title": "Neon",
    "tags": "synthwave",
    "make_instrumental": False,
    "instrumental": False,
    "callBackUrl": "https://relay.example.com/suno/callback",
    "customMode": False,
}
README_LYRICS: dict[str, Any] = {"prompt": "A melancholic love song about distance and longing"}

README_CLIP: dict[str, Any] = {
    "id": "clip_abc123",
    "audio_url": "https://cdn1.suno.ai/clip_abc123.mp3",
    "video_url": "https://cdn1.suno.ai/clip_abc123.mp4",
    "image_url": "https://cdn1.suno.ai/image_abc123.jpeg",
    "image_large_url": "https://cdn1.suno.ai/image_large_abc123.jpeg",
    "title": "Midnight Drive",
    "status": "complete",
    "created_at": "2025-01-01T00:00:00.000Z",
    "major_model_version": "v4",
    "model_name": "chirp-fenix",
    "is_public": False,
    "play_count": 0,
    "upvote_count": 0,
    "metadata": {
        "tags": "synthwave, cinematic, atmospheric, female vocals",
        "prompt": "[Verse]\nCity lights blur past...",
        "duration": 183.5,
        "stream": False,
        "error_message": None,
    },
}
LYRICS_DATA: dict[str, Any] = {
    "id": "9a8b7c6d-5e4f-3a2b-1c0d-ef1234567890",
    "status": "complete",
    "title": "Miles Apart",
    "text": "[Verse]\nYour voice comes through a broken line",
}


def _ok(data: Any) -> dict[str, Any]:
    return {"code": 200, "message": "success", "data": data}


def _relay(data: Any) -> dict[str, Any]:
    return {"code": "success", "message": "", "data": data}


def _error(status: int, message: str) -> Reply:
    return Reply(message, ErrorReply, examples={message: {"code": status, "message": message, "data": None}})


UNAUTHORIZED_REPLY = _error(401, "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'")
UPSTREAM_REPLIES: dict[int | str, Reply] = {
    status: _error(status, message) for status, message in UPSTREAM_STATUSES.items()
}
ENVELOPE_NOTE = (
    'Replies use the envelope {"code": 200, "message": "success", "data": …}; with REST_ENVELOPE=relay '
    'it is {"code": "success", "message": "", "data": …} as new-api/one-api require. Errors use the same '
    "envelope with data null and the HTTP status as code (relay: a word such as invalid_request)."
)

FETCH_LINKS = {
    "fetchTask": Link("fetchTask", {"task_id": "$response.body#/data"}, "The task this submit created"),
}

SUBMIT_MUSIC = Operation(
    summary="Submit a song",
    description="Returns the task id at once; poll POST /suno/fetch or GET /suno/fetch/{task_id}. "
    "Custom mode: prompt (lyrics) with title and tags. Inspiration mode: gpt_description_prompt. "
    "Unknown fields are ignored; instrumental is the same as make_instrumental. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(
        MusicSubmission,
        examples={
            "Custom mode (README)": README_CUSTOM_MODE,
            "Inspiration mode (README)": README_INSPIRATION_MODE,
            "Instrumental (README)": README_INSTRUMENTAL,
            "As new-api sends it": NEW_API_MUSIC,
        },
    ),
    replies={
        200: Reply(
            "The task id",
            TaskIdReply,
            examples={"README envelope": _ok(TASK_ID), "relay envelope": _relay(TASK_ID)},
            links=FETCH_LINKS,
        ),
        400: _error(
            400, "prompt is empty, a field has the wrong type or is too long, or the body is not JSON"
        ),
        401: UNAUTHORIZED_REPLY,
        413: _error(413, "the body is too large"),
        **UPSTREAM_REPLIES,
    },
    secured=True,
    operation_id="submitMusic",
)

SUBMIT_LYRICS = Operation(
    summary="Write lyrics",
    description="Waits until the lyrics exist (up to 2 minutes), then returns the task id; "
    "GET /suno/fetch/{task_id} gives the lyrics. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(LyricsSubmission, examples={"README": README_LYRICS}),
    replies={
        200: Reply("The task id", TaskIdReply, examples={"README envelope": _ok(TASK_ID)}, links=FETCH_LINKS),
        400: _error(400, "prompt is empty: describe the lyrics you want"),
        401: UNAUTHORIZED_REPLY,
        413: _error(413, "the body is too large"),
        **UPSTREAM_REPLIES,
    },
    secured=True,
    operation_id="submitLyrics",
)

FETCH_ONE = Operation(
    summary="One task's result",
    description="data is the clip list of a music task (every field Suno sends) or the lyrics object of a "
    "lyrics task. " + ENVELOPE_NOTE,
    tags=(TAG,),
    parameters=(Parameter("task_id", "path", "The id a submit returned", required=True, example=TASK_ID),),
    replies={
        200: Reply(
            "The clips or the lyrics",
            FetchOneReply,
            examples={"A finished song (README)": _ok([README_CLIP]), "Lyrics": _ok(LYRICS_DATA)},
        ),
        401: UNAUTHORIZED_REPLY,
        404: _error(404, "task not exist: no task with that id"),
    },
    secured=True,
    operation_id="fetchTask",
)

RAW_NOTE = (
    " A success is Suno's own shape, without the envelope (as the relay's routes answer); an error is "
    "in the envelope."
)

GENERATE = Operation(
    summary="Submit a song, answered in Suno's shape",
    description="The body of POST /suno/submit/music (Suno's own field names); the reply is Suno's "
    "{id, clips}, id being the task id. Poll GET /suno/feed/{ids} with the clip ids." + RAW_NOTE,
    tags=(TAG,),
    body=Body(MusicSubmission, examples={"Custom mode (README)": README_CUSTOM_MODE}),
    replies={
        200: Reply(
            "The task id and its clips",
            GenerateReply,
            examples={"queued": {"id": TASK_ID, "clips": [{**README_CLIP, "status": "submitted"}]}},
        ),
        400: _error(400, "a field has the wrong type or is too long, or the body is not JSON"),
        401: UNAUTHORIZED_REPLY,
        413: _error(413, "the body is too large"),
        **UPSTREAM_REPLIES,
    },
    secured=True,
    operation_id="generate",
)

FEED = Operation(
    summary="Clips by id, in Suno's shape",
    description=f"Up to {MAX_CLIP_IDS} clip ids, comma-separated; unknown ids are left out." + RAW_NOTE,
    tags=(TAG,),
    parameters=(
        Parameter("ids", "path", "Clip ids, comma-separated", required=True, example=README_CLIP["id"]),
    ),
    replies={
        200: Reply("The clips", ClipList, examples={"one clip": [README_CLIP]}),
        400: _error(400, f"ids has too many clip ids, at most {MAX_CLIP_IDS}"),
        401: UNAUTHORIZED_REPLY,
    },
    secured=True,
    operation_id="feed",
)

FETCH_MANY = Operation(
    summary="Several tasks",
    description=f"Up to {MAX_FETCH_IDS} ids per call; unknown ids are left out, never an id that was not asked "
    "for. This is the call new-api/one-api make every 15 s. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(
        FetchMany,
        examples={
            "README": {"ids": [TASK_ID, "9a8b7c6d-5e4f-3a2b-1c0d-ef1234567890"]},
            "new-api": {"ids": [TASK_ID]},
        },
    ),
    replies={
        200: Reply(
            "The tasks that exist among ids",
            FetchManyReply,
            examples={
                "README envelope": _ok(
                    [
                        {
                            "task_id": TASK_ID,
                            "action": "MUSIC",
                            "status": "SUCCESS",
                            "fail_reason": "",
                            "submit_time": 1735689600,
                            "start_time": 1735689605,
                            "finish_time": 1735689720,
                            "progress": "100%",
                            "data": [README_CLIP],
                        }
                    ]
                )
            },
        ),
        400: _error(400, f"ids must be a list of at most {MAX_FETCH_IDS} task ids"),
        401: UNAUTHORIZED_REPLY,
        413: _error(413, "the body is too large"),
    },
    secured=True,
    operation_id="fetchTasks",
)

ACCOUNT = Operation(
    summary="The Suno account and its credits",
    description="certificate is the first account; accounts lists all of them. session_id, cookie and jwt "
    "are masked unless ACCOUNT_SHOW_SECRETS=true. " + ENVELOPE_NOTE,
    tags=(TAG,),
    parameters=(
        Parameter(
            "refresh",
            "query",
            "true: read the credits from Suno now instead of the cached figures",
            schema={"type": "boolean"},
        ),
    ),
    replies={
        200: Reply(
            "The account",
            AccountReply,
            examples={
                "README envelope": _ok(
                    {
                        "certificate": {
                            "session_id": "sess****xxxx",
                            "cookie": "__cl****9f2a",
                            "jwt": "eyJh****Q2sw",
                            "last_update": 1735689600,
                            "credits_left": 450,
                            "monthly_limit": 500,
                            "monthly_usage": 50,
                            "period": "2025-01",
                            "is_active": True,
                        },
                        "msg": "",
                        "accounts": [],
                    }
                )
            },
        ),
        400: _error(400, "refresh must be true or false, given once"),
        401: UNAUTHORIZED_REPLY,
    },
    secured=True,
    operation_id="account",
)

CHALLENGE = Operation(
    summary="Hand in a solved captcha for an account",
    description="With CAPTCHA_SOLVER=relay, songs for an account Suno challenges wait (waiting_reason "
    '"waiting for a captcha solution on account X"); a token solved for it (provider 1 hCaptcha, '
    "2 Turnstile) is sent with the next song, and the waiting songs go. " + ENVELOPE_NOTE,
    tags=(TAG,),
    body=Body(
        ChallengeSolution,
        examples={"hCaptcha": {"account": "default", "token": "P1_eyJ0eXAiOiJKV1Qi…", "provider": 1}},
    ),
    replies={
        200: Reply("The account, its state after the hand-in", ChallengeReply),
        400: _error(400, "provider must be 1 (hCaptcha) or 2 (Turnstile)"),
        401: UNAUTHORIZED_REPLY,
        413: _error(413, "the body is too large"),
    },
    secured=True,
    operation_id="solveChallenge",
)

MODELS = Operation(
    summary="The models each account may use",
    description="From each account's billing (cached with it; refresh=true reads it now). usable false marks a "
    "model the account lists but cannot use. " + ENVELOPE_NOTE,
    tags=(TAG,),
    parameters=(
        Parameter("refresh", "query", "true: read billing from Suno now", schema={"type": "boolean"}),
    ),
    replies={
        200: Reply(
            "The models",
            ModelsReply,
            examples={
                "README envelope": _ok(
                    [
                        {
                            "account": "default",
                            "key": "chirp-hawk",
                            "name": "v6",
                            "aliases": ["v6", "V6", "suno-v6"],
                            "default": True,
                            "usable": True,
                            "max_lengths": {"title": 100, "prompt": 5000},
                            "features": ["control_sliders", "max_mode"],
                        }
                    ]
                )
            },
        ),
        400: _error(400, "refresh must be true or false, given once"),
        401: UNAUTHORIZED_REPLY,
    },
    secured=True,
    operation_id="models",
)

PING = Operation(
    summary="Health check",
    description="No authentication.",
    tags=(TAG,),
    replies={200: Reply("pong", examples={"pong": {"message": "pong"}})},
    operation_id="ping",
)
