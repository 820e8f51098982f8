"""Validation of music and lyrics requests: one set of rules, clear messages (given as the original's fields)."""

from __future__ import annotations

import pytest

from rest_compat.song_fields import lyrics_prompt, music_order
from suno.errors import InvalidRequest
from suno.models import MusicRequest, VocalGender
from suno.requests import MusicOrder, lyrics_request, music_request


def from_fields(fields: dict[str, object]) -> MusicRequest:
    """The request the original contract's fields make, as the REST doors build it."""
    return music_request(music_order(fields))


def test_custom_mode_keeps_lyrics_title_and_tags() -> None:
    request = from_fields({"prompt": "[Verse]\nhi", "title": " Neon ", "tags": "synthwave", "mv": "chirp-v4"})
    assert (request.prompt, request.title, request.tags, request.mv) == (
        "[Verse]\nhi",
        "Neon",
        "synthwave",
        "chirp-v4",
    )
    assert not request.is_inspiration_mode


def test_inspiration_mode_wins_over_lyrics_as_in_the_original() -> None:
    request = from_fields({"gpt_description_prompt": "a song about rain", "prompt": "ignored", "title": "x"})
    assert request.is_inspiration_mode and request.prompt == "" and request.title == ""


def test_model_defaults_to_chirp_fenix_and_aliases_resolve() -> None:
    assert from_fields({"prompt": "la"}).mv == "chirp-fenix"
    assert from_fields({"prompt": "la", "mv": "suno-v3.5"}).mv == "chirp-v3-5"
    assert from_fields({"prompt": "la", "mv": "chirp-crow"}).mv == "chirp-crow"


def test_vocal_gender_appends_vocals_to_tags() -> None:
    request = from_fields({"prompt": "la", "tags": "pop", "vocal_gender": "Female"})
    assert request.vocal_gender is VocalGender.FEMALE
    assert request.effective_tags == "pop, female vocals"
    assert from_fields({"prompt": "la", "vocal_gender": "male"}).effective_tags == "male vocals"


def test_instrumental_may_give_only_tags() -> None:
    request = from_fields({"tags": "ambient", "make_instrumental": True})
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
        from_fields(fields)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_continuation_keeps_clip_time_and_task() -> None:
    request = from_fields({"prompt": "la", "continue_clip_id": "c1", "continue_at": 12.5, "task_id": "t1"})
    assert (request.continue_clip_id, request.continue_at, request.continue_task_id) == ("c1", 12.5, "t1")
    assert request.is_continuation


def test_stored_request_round_trips() -> None:
    request = from_fields({"prompt": "la", "vocal_gender": "male", "continue_clip_id": "c", "continue_at": 1})
    assert type(request).from_dict(request.to_dict()) == request


def test_lyrics_need_a_prompt() -> None:
    assert lyrics_request(lyrics_prompt({"prompt": " rain "})).prompt == "rain"
    with pytest.raises(InvalidRequest, match="prompt is empty"):
        lyrics_request(lyrics_prompt({"prompt": ""}))


def test_both_modes_at_once_is_refused_by_the_core() -> None:
    with pytest.raises(InvalidRequest, match="not both") as caught:
        music_request(MusicOrder(prompt="[Verse] la", gpt_description_prompt="a song about rain"))
    assert caught.value.field == "prompt"


def test_an_order_with_a_typed_gender_and_model_needs_no_wire_names() -> None:
    request = music_request(MusicOrder(prompt="la", model="suno-v3.5", vocal_gender=VocalGender.MALE))
    assert (request.mv, request.effective_tags) == ("chirp-v3-5", "male vocals")
