"""The operation rules: request validation, the model's allowed combinations, the source's fitness."""

from __future__ import annotations

import pytest

from suno.errors import InvalidRequest
from suno.models import Clip, MusicRequest, OperationRequest, Task, TaskAction, TaskStatus
from suno.operations import rules
from suno.operations.requests import OperationOrder, operation_request, persona_fields, upload_request

MODELS = [
    {
        "external_key": "chirp-fenix",
        "can_use": True,
        "allowed_condition_combinations": [["extend"], ["cover", "persona"]],
    },
    {"external_key": "chirp-v3-5", "can_use": True, "allowed_condition_combinations": [["extend"]]},
    {"external_key": "chirp-old", "can_use": False},
]


def clip(status: str = "complete", duration: float = 120.0, **metadata: object) -> Clip:
    return Clip.from_upstream({"id": "c1", "status": status, "metadata": {"duration": duration, **metadata}})


def song_task(instrumental: bool) -> Task:
    return Task(
        id="t1",
        action=TaskAction.MUSIC,
        status=TaskStatus.SUCCESS,
        request=MusicRequest(prompt="la", make_instrumental=instrumental),
    )


def test_a_request_is_normalised_and_checked() -> None:
    request = operation_request(TaskAction.STEMS, OperationOrder(clip_id=" c1 ", stem_group="backing_vocals"))
    assert request.clip_id == "c1" and request.stem_group == "Backing_Vocals"
    assert operation_request(TaskAction.REMASTER, OperationOrder(clip_id="c1")).variation == "normal"
    assert (
        operation_request(TaskAction.EXTEND, OperationOrder(clip_id="c1", model="suno-v3")).mv == "chirp-v3-0"
    )


@pytest.mark.parametrize(
    ("action", "order", "field"),
    [
        (TaskAction.EXTEND, OperationOrder(), "clip_id"),
        (TaskAction.CONCAT, OperationOrder(clip_id="c1", prompt="words"), "prompt"),
        (TaskAction.COVER, OperationOrder(clip_id="c1", continue_at=3), "continue_at"),
        (TaskAction.EXTEND, OperationOrder(clip_id="c1", continue_at=float("inf")), "continue_at"),
        (TaskAction.EXTEND, OperationOrder(clip_id="c1", continue_at=-1), "continue_at"),
        (TaskAction.COVER, OperationOrder(clip_id="c1", cover_start_s=5, cover_end_s=5), "cover_end_s"),
        (TaskAction.STEMS, OperationOrder(clip_id="c1", stem_group="Kazoo"), "group"),
        (TaskAction.EXTEND, OperationOrder(clip_id="c1", stem_group="Drums"), "group"),
        (TaskAction.REMASTER, OperationOrder(clip_id="c1", variation="max"), "variation"),
        (TaskAction.STEMS, OperationOrder(clip_id="c1", persona_id="p1"), "persona_id"),
        (TaskAction.EXTEND, OperationOrder(clip_id="c1", title="x" * 101), "title"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(
    action: TaskAction, order: OperationOrder, field: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        operation_request(action, order)
    assert refused.value.field == field


def test_uploads_and_personas_are_checked_by_name() -> None:
    request = upload_request("C:\\music\\Demo.FLAC", "Demo")
    assert (request.upload_filename, request.upload_extension) == ("Demo.FLAC", "flac")
    with pytest.raises(InvalidRequest, match="must be one of"):
        upload_request("notes.txt", None)
    assert persona_fields(" Rainy ", None) == ("Rainy", "")
    with pytest.raises(InvalidRequest):
        persona_fields("   ", None)


def test_the_models_combinations_decide_before_anything_is_paid() -> None:
    cover = rules.conditions(
        TaskAction.COVER, OperationRequest(clip_id="c1", persona_id="p1"), from_upload=False
    )
    assert cover == {"cover", "persona"}
    assert rules.conditions(TaskAction.EXTEND, OperationRequest(clip_id="c1"), from_upload=True) == {
        "upload_extend"
    }
    rules.check_model("chirp-fenix", cover, MODELS)
    rules.check_model("chirp-anything", cover, [])  # an account that lists no models is not checked
    with pytest.raises(InvalidRequest, match="does not support cover"):
        rules.check_model("chirp-v3-5", frozenset({"cover"}), MODELS)
    with pytest.raises(InvalidRequest, match=r"not available.*chirp-fenix, chirp-v3-5"):
        rules.check_model("chirp-old", frozenset(), MODELS)
    with pytest.raises(InvalidRequest, match="not available"):
        rules.check_model("chirp-none", frozenset(), MODELS)


def test_the_source_must_be_finished_and_fit_the_operation() -> None:
    request = OperationRequest(clip_id="c1")
    rules.check_source(TaskAction.ADD_VOCALS, request, clip(), song_task(instrumental=True))
    with pytest.raises(InvalidRequest, match="has vocals"):
        rules.check_source(TaskAction.ADD_VOCALS, request, clip(), song_task(instrumental=False))
    with pytest.raises(InvalidRequest, match="is an instrumental"):
        rules.check_source(TaskAction.ADD_INSTRUMENTAL, request, clip(make_instrumental=True), None)
    with pytest.raises(InvalidRequest, match="streaming"):
        rules.check_source(TaskAction.COVER, request, clip("streaming"), None)
    with pytest.raises(InvalidRequest, match="past the clip's end"):
        rules.check_source(TaskAction.EXTEND, OperationRequest(clip_id="c1", continue_at=121), clip(), None)
    # Nothing known about vocals: Suno decides.
    rules.check_source(TaskAction.ADD_VOCALS, request, clip(), None)
