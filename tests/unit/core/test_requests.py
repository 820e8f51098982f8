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


def test_model_is_left_to_the_account_when_unset_and_aliases_resolve() -> None:
    # Empty: the service asks the account for its default (billing) before storing the task.
    assert from_fields({"prompt": "la"}).mv == ""
    assert from_fields({"prompt": "la", "mv": "suno-v3.5"}).mv == "chirp-v3-5"
    assert from_fields({"prompt": "la", "mv": "chirp-crow"}).mv == "chirp-crow"
    for alias, key in {
        "v6": "chirp-hawk",
        "V5_5": "chirp-fenix",
        "V4_5PLUS": "chirp-bluejay",
        "v4.5+": "chirp-bluejay",
    }.items():
        assert from_fields({"prompt": "la", "mv": alias}).mv == key


def test_v6_controls_are_kept_when_in_range() -> None:
    request = from_fields(
        {"prompt": "la", "weirdness": 0.3, "style_weight": 1, "variety": 4, "max_mode": True, "duration": 90}
    )
    assert (request.weirdness, request.style_weight, request.variety) == (0.3, 1.0, 4)
    assert request.max_mode and request.duration_seconds == 90 and not request.mumble


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"weirdness": 1.5}, "weirdness", "between 0 and 1, got 1.5"),
        ({"style_weight": -0.1}, "style_weight", "between 0 and 1"),
        ({"variety": 2.5}, "variety", "whole number from 0 to 4, got 2.5"),
        ({"variety": 5}, "variety", "whole number from 0 to 4"),
        ({"duration": 5}, "duration", "from 10 to 360"),
        ({"duration": 400}, "duration", "from 10 to 360"),
        ({"audio_weight": 0.5}, "audio_weight", "audio reference"),
        ({"weirdness": "high"}, "weirdness", "a number from 0 to 1"),
    ],
)
def test_v6_controls_out_of_range_are_refused_with_the_reason(fields, field, words) -> None:
    with pytest.raises(InvalidRequest) as caught:
        from_fields({"prompt": "la", **fields})
    assert caught.value.field == field and words in caught.value.message


def test_a_model_without_a_feature_refuses_its_control_and_its_lengths_apply() -> None:
    from suno.models import AccountModel
    from suno.requests import check_for_model

    old = AccountModel(
        account="a", key="chirp-fenix", name="v5.5", features=("lyrics",), max_lengths={"title": 5}
    )
    with pytest.raises(InvalidRequest) as caught:
        check_for_model(from_fields({"prompt": "la", "max_mode": True}), old)
    assert caught.value.field == "max_mode" and "chirp-fenix" in caught.value.message
    with pytest.raises(InvalidRequest) as too_long:
        check_for_model(from_fields({"prompt": "la", "title": "A long title"}), old)
    assert too_long.value.field == "title" and "at most 5" in too_long.value.message
    assert check_for_model(from_fields({"prompt": "la"}), old).mv == "chirp-fenix"


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
