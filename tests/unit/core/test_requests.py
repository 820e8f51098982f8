"""Validation of music and lyrics requests: one set of rules, clear messages."""

from __future__ import annotations

import pytest

from suno.errors import InvalidRequest
from suno.models import VocalGender
from suno.requests import lyrics_request, music_request


def test_custom_mode_keeps_lyrics_title_and_tags() -> None:
    request = music_request(
        {"prompt": "[Verse]\nhi", "title": " Neon ", "tags": "synthwave", "mv": "chirp-v4"}
    )
    assert (request.prompt, request.title, request.tags, request.mv) == (
        "[Verse]\nhi",
        "Neon",
        "synthwave",
        "chirp-v4",
    )
    assert not request.is_inspiration_mode


def test_inspiration_mode_wins_over_lyrics_as_in_the_original() -> None:
    request = music_request(
        {"gpt_description_prompt": "a song about rain", "prompt": "ignored", "title": "x"}
    )
    assert request.is_inspiration_mode and request.prompt == "" and request.title == ""


def test_model_defaults_to_chirp_fenix_and_aliases_resolve() -> None:
    assert music_request({"prompt": "la"}).mv == "chirp-fenix"
    assert music_request({"prompt": "la", "mv": "suno-v3.5"}).mv == "chirp-v3-5"
    assert music_request({"prompt": "la", "mv": "chirp-crow"}).mv == "chirp-crow"


def test_vocal_gender_appends_vocals_to_tags() -> None:
    request = music_request({"prompt": "la", "tags": "pop", "vocal_gender": "Female"})
    assert request.vocal_gender is VocalGender.FEMALE
    assert request.effective_tags == "pop, female vocals"
    assert music_request({"prompt": "la", "vocal_gender": "male"}).effective_tags == "male vocals"


def test_instrumental_may_give_only_tags() -> None:
    request = music_request({"tags": "ambient", "make_instrumental": True})
    assert request.make_instrumental and request.tags == "ambient"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({}, "prompt", "gpt_description_prompt"),
        ({"prompt": "   "}, "prompt", "custom mode"),
        ({"prompt": 5}, "prompt", "must be a string"),
        ({"prompt": "la", "make_instrumental": "yes"}, "make_instrumental", "true or false"),
        ({"prompt": "la", "vocal_gender": "robot"}, "vocal_gender", "'female' or 'male'"),
        ({"prompt": "la", "mv": "bad model!"}, "mv", "model name"),
        ({"prompt": "x" * 5001}, "prompt", "too long"),
        ({"prompt": "la", "continue_at": 10}, "continue_clip_id", "needs continue_clip_id"),
        ({"prompt": "la", "continue_clip_id": "c1"}, "continue_at", "needs continue_at"),
        ({"prompt": "la", "continue_clip_id": "c1", "continue_at": -1}, "continue_at", "zero or more"),
        ({"prompt": "la", "continue_clip_id": "c1", "continue_at": "10"}, "continue_at", "number of seconds"),
        (
            {"prompt": "la", "continue_clip_id": "c1", "continue_at": float("nan")},
            "continue_at",
            "finite number",
        ),
        (
            {"prompt": "la", "continue_clip_id": "c1", "continue_at": float("inf")},
            "continue_at",
            "finite number",
        ),
        (
            {"gpt_description_prompt": "rain", "continue_clip_id": "c1", "continue_at": 3},
            "gpt_description_prompt",
            "custom mode",
        ),
    ],
)
def test_bad_music_requests_name_the_field_and_say_what_is_wrong(
    fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        music_request(fields)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_continuation_keeps_clip_time_and_task() -> None:
    request = music_request({"prompt": "la", "continue_clip_id": "c1", "continue_at": 12.5, "task_id": "t1"})
    assert (request.continue_clip_id, request.continue_at, request.continue_task_id) == ("c1", 12.5, "t1")
    assert request.is_continuation


def test_stored_request_round_trips() -> None:
    request = music_request(
        {"prompt": "la", "vocal_gender": "male", "continue_clip_id": "c", "continue_at": 1}
    )
    assert type(request).from_dict(request.to_dict()) == request


def test_lyrics_need_a_prompt() -> None:
    assert lyrics_request({"prompt": " rain "}).prompt == "rain"
    with pytest.raises(InvalidRequest, match="prompt is empty"):
        lyrics_request({"prompt": ""})
