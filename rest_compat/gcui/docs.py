"""The OpenAPI operations of gcui-art's /api/* routes, with its README's request bodies."""

from __future__ import annotations

from typing import Any

from pydantic import RootModel

from rest_compat.clip_lists import MAX_CLIP_IDS
from rest_compat.failures import UPSTREAM_STATUSES
from rest_compat.gcui.wire import (
    AlignedWord,
    AudioInfo,
    ConcatBody,
    CustomGenerateBody,
    ErrorReply,
    ExtendAudioBody,
    GenerateBody,
    LimitReply,
    LyricsBody,
    LyricsReply,
    PersonaPage,
    StemsBody,
)
from rest_compat.openapi import Body, Operation, Parameter, Reply

TAG = "gcui-art/suno-api (/api/*)"
CLIP_ID = "124b735f-7fb0-42b9-8b35-761aed65a7f6"

# gcui's README bodies.
README_GENERATE: dict[str, Any] = {
    "prompt": "A popular heavy metal song about war, sung by a deep-voiced male singer, slowly and melodiously.",
    "make_instrumental": False,
    "model": "chirp-v3-5",
    "wait_audio": False,
}
README_CUSTOM_GENERATE: dict[str, Any] = {
    "prompt": "[Verse 1]\nCruel flames of war engulf this land\nBattlefields filled with death and dread",
    "tags": "pop metal male melancholic",
    "title": "Silent Battlefield",
    "make_instrumental": False,
    "model": "chirp-v3-5",
    "wait_audio": True,
}
README_EXTEND: dict[str, Any] = {
    "audio_id": CLIP_ID,
    "continue_at": 60,
    "prompt": "[Bridge]\nThe smoke lifts from the fields",
    "tags": "pop metal male melancholic",
    "title": "Silent Battlefield (extended)",
}
README_LYRICS: dict[str, Any] = {"prompt": "A soothing lullaby"}

AUDIO_INFO: dict[str, Any] = {
    "id": CLIP_ID,
    "title": "Silent Battlefield",
    "image_url": "https://cdn2.suno.ai/image_124b735f.jpeg",
    "lyric": "[Verse 1]\nCruel flames of war engulf this land",
    "audio_url": "https://audiopipe.suno.ai/?item_id=124b735f-7fb0-42b9-8b35-761aed65a7f6",
    "video_url": "",
    "created_at": "2024-05-06T14:32:51.131Z",
    "model_name": "chirp-v3",
    "status": "streaming",
    "gpt_description_prompt": None,
    "prompt": "[Verse 1]\nCruel flames of war engulf this land",
    "type": "gen",
    "tags": "pop metal male melancholic",
    "negative_tags": None,
    "duration": None,
    "error_message": None,
}


class AudioList(RootModel[list[AudioInfo]]):
    """A list of gcui clip objects."""


def _error(status: int, message: str) -> Reply:
    return Reply(message, ErrorReply, examples={message: {"error": message}})


UNAUTHORIZED = _error(401, "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'")
UPSTREAM: dict[int | str, Reply] = {
    status: _error(status, message) for status, message in UPSTREAM_STATUSES.items()
}
CLIPS = Reply("The two clips of the new song", AudioList, examples={"streaming": [AUDIO_INFO]})
WAIT_NOTE = (
    " Answers at once with the clips as Suno queued them; with wait_audio: true, once they stream or "
    "finish (at most 100 s). Poll GET /api/get?ids= with the clip ids until status is complete: "
    "audio_url is then sunoql's playable copy."
)


def _song(summary: str, body: Body, description: str, operation_id: str) -> Operation:
    return Operation(
        summary=summary,
        description=description + WAIT_NOTE,
        tags=(TAG,),
        body=body,
        replies={
            200: CLIPS,
            400: _error(400, "prompt is required"),
            401: UNAUTHORIZED,
            413: _error(413, "the body is larger than 1048576 bytes"),
            **UPSTREAM,
        },
        secured=True,
        operation_id=operation_id,
    )


GENERATE = _song(
    "Make a song from a description",
    Body(GenerateBody, examples={"README": README_GENERATE}),
    "prompt is a description: Suno writes the lyrics.",
    "gcuiGenerate",
)
CUSTOM_GENERATE = _song(
    "Make a song from lyrics, style tags and a title",
    Body(CustomGenerateBody, examples={"README": README_CUSTOM_GENERATE}),
    "prompt is the lyrics (custom mode).",
    "gcuiCustomGenerate",
)
EXTEND_AUDIO = _song(
    "Extend a clip",
    Body(ExtendAudioBody, examples={"README": README_EXTEND}),
    "Continues audio_id from continue_at seconds. As gcui, 400 with the clips when every clip failed.",
    "gcuiExtendAudio",
)
GENERATE_LYRICS = Operation(
    summary="Write lyrics",
    description="Answers once Suno has written them (at most 100 s).",
    tags=(TAG,),
    body=Body(LyricsBody, examples={"README": README_LYRICS}),
    replies={
        200: Reply(
            "Suno's lyrics object",
            LyricsReply,
            examples={
                "lyrics": {
                    "id": "9a8b7c6d-5e4f-3a2b-1c0d-ef1234567890",
                    "status": "complete",
                    "title": "Lullaby",
                    "text": "[Verse]\nHush now, the stars are out",
                }
            },
        ),
        400: _error(400, "prompt is required"),
        401: UNAUTHORIZED,
        502: _error(502, "Suno could not write the lyrics"),
    },
    secured=True,
    operation_id="gcuiGenerateLyrics",
)
GET = Operation(
    summary="Clips by id, or the latest clips",
    description=f"ids: up to {MAX_CLIP_IDS} clip ids, comma-separated; unknown ids are left out. Without "
    "ids: the clips of the latest songs, newest first, page by page.",
    tags=(TAG,),
    parameters=(
        Parameter("ids", "query", "Clip ids, comma-separated", example=f"{CLIP_ID},{CLIP_ID[::-1]}"),
        Parameter(
            "page",
            "query",
            "Without ids: the page, from 0",
            schema={"type": "integer", "minimum": 0, "maximum": 100},
        ),
    ),
    replies={
        200: Reply("The clips", AudioList, examples={"one clip": [AUDIO_INFO]}),
        400: _error(400, f"ids has too many clip ids, at most {MAX_CLIP_IDS}"),
        401: UNAUTHORIZED,
    },
    secured=True,
    operation_id="gcuiGet",
)
CLIP = Operation(
    summary="One clip as Suno describes it",
    description="Suno's own clip object (every field), the media links pointing at sunoql's copy once finished.",
    tags=(TAG,),
    parameters=(Parameter("id", "query", "The clip id", required=True, example=CLIP_ID),),
    replies={
        200: Reply("Suno's clip object"),
        400: _error(400, "id is required"),
        401: UNAUTHORIZED,
        404: _error(404, f"no clip with id {CLIP_ID!r}"),
    },
    secured=True,
    operation_id="gcuiClip",
)
GET_LIMIT = Operation(
    summary="Credits left",
    description="Summed over every Suno account sunoql has.",
    tags=(TAG,),
    replies={
        200: Reply(
            "The credits",
            LimitReply,
            examples={
                "credits": {"credits_left": 50, "period": "day", "monthly_limit": 50, "monthly_usage": 50}
            },
        ),
        401: UNAUTHORIZED,
        503: _error(503, "no Suno account is configured"),
    },
    secured=True,
    operation_id="gcuiGetLimit",
)


class AlignedWords(RootModel[list[AlignedWord]]):
    """Suno's aligned words."""


CONCAT = Operation(
    summary="The whole song of a clip and its extensions",
    description="Answers the new clip at once (queued); poll GET /api/get?ids= until it is complete. "
    "Runs on the account that owns clip_id; an edited clip fails with Suno's 'Bad history.'",
    tags=(TAG,),
    body=Body(ConcatBody, examples={"concat": {"clip_id": CLIP_ID}}),
    replies={
        200: Reply("The whole song's clip", AudioInfo, examples={"queued": AUDIO_INFO}),
        400: _error(400, "clip_id is required"),
        401: UNAUTHORIZED,
        **UPSTREAM,
    },
    secured=True,
    operation_id="gcuiConcat",
)
GENERATE_STEMS = Operation(
    summary="Separate a clip into stems",
    description="All twelve stems (Suno's gen_stem with chirp-v3-0); answers the stem clips at once, queued.",
    tags=(TAG,),
    body=Body(StemsBody, examples={"stems": {"audio_id": CLIP_ID}}),
    replies={
        200: Reply("The stem clips", AudioList, examples={"queued": [AUDIO_INFO]}),
        400: _error(400, "audio_id is required"),
        401: UNAUTHORIZED,
        **UPSTREAM,
    },
    secured=True,
    operation_id="gcuiGenerateStems",
)
GET_ALIGNED_LYRICS = Operation(
    summary="Timed lyrics of a finished clip",
    description="Suno's aligned words with start and end seconds; the first call asks Suno and waits up to a "
    "minute (503 if it is still working: ask again).",
    tags=(TAG,),
    parameters=(Parameter("song_id", "query", "The clip", required=True),),
    replies={
        200: Reply(
            "The aligned words",
            AlignedWords,
            examples={
                "words": [{"word": "Cruel", "start_s": 1.2, "end_s": 1.5, "success": True, "p_align": 1.0}]
            },
        ),
        400: _error(400, "song_id is required"),
        401: UNAUTHORIZED,
        **UPSTREAM,
    },
    secured=True,
    operation_id="gcuiGetAlignedLyrics",
)
PERSONA = Operation(
    summary="A persona and its clips, a page at a time",
    description="A persona made here (POST /suno/persona or createPersona), read from Suno with its account.",
    tags=(TAG,),
    parameters=(
        Parameter("id", "query", "The persona id", required=True),
        Parameter("page", "query", "Page, from 1", schema={"type": "integer", "minimum": 1}),
    ),
    replies={
        200: Reply("Suno's persona page", PersonaPage),
        400: _error(400, "id is required"),
        401: UNAUTHORIZED,
        **UPSTREAM,
    },
    secured=True,
    operation_id="gcuiPersona",
)
