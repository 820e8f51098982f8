"""The one reading of a REST-shaped door's JSON body: what each kind of bad body is called."""

from __future__ import annotations

import pytest

from rest_compat.request_body import BodyProblem, UnreadableBody, parse_json_object


@pytest.mark.parametrize(
    ("raw", "problem", "words"),
    [
        (b"", BodyProblem.EMPTY, "the body is empty"),
        (b"  \n", BodyProblem.EMPTY, "the body is empty"),
        (b"{not json", BodyProblem.NOT_JSON, "not valid JSON"),
        (b"\xff\xfe\xfa", BodyProblem.NOT_JSON, "not valid JSON"),
        (b"[" * 100_000, BodyProblem.NOT_JSON, "not valid JSON"),
        (b"[1, 2]", BodyProblem.NOT_AN_OBJECT, "must be a JSON object, got a list"),
        (b'"text"', BodyProblem.NOT_AN_OBJECT, "must be a JSON object, got a string"),
        (b'{"prompt": "\\ud800"}', BodyProblem.NOT_UNICODE, "not valid Unicode"),
    ],
)
def test_a_bad_body_is_named_by_its_problem_with_a_400(raw: bytes, problem: BodyProblem, words: str) -> None:
    with pytest.raises(UnreadableBody) as raised:
        parse_json_object(raw)
    assert raised.value.problem is problem and raised.value.status == 400
    assert words in raised.value.message


def test_a_door_may_show_an_example_to_a_client_that_sent_no_json() -> None:
    with pytest.raises(UnreadableBody, match=r'such as \{"prompt": "…"\}$'):
        parse_json_object(b"prompt=la", example='{"prompt": "…"}')
    with pytest.raises(UnreadableBody, match=r"send a JSON object$"):
        parse_json_object(b"prompt=la")


def test_a_json_object_is_returned_as_is() -> None:
    assert parse_json_object(b'{"prompt": "la", "n": [1, {"x": null}]}') == {
        "prompt": "la",
        "n": [1, {"x": None}],
    }


def test_only_a_body_past_the_cap_is_a_413() -> None:
    assert UnreadableBody(BodyProblem.TOO_LARGE, "too big").status == 413
