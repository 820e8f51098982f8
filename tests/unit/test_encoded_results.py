"""A shared result's data is encoded once; a message is spliced from it only when that is all it carries."""

from __future__ import annotations

import json

from graphql import GraphQLError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from schema.encoded_results import EncodedData, encoded_message, shared_result

DATA = {"taskProgress": {"id": "t-1", "status": "SUCCESS", "title": 'say "hi" \u00e9'}}


def counting_encoder() -> tuple[list[object], object]:
    calls: list[object] = []

    def encode(value: object) -> str:
        calls.append(value)
        return json.dumps(value)

    return calls, encode


def test_a_spliced_message_reads_as_the_whole_message_encoded_and_the_data_is_encoded_once() -> None:
    calls, encode = counting_encoder()
    result = shared_result(ExecutionResult(data=dict(DATA), errors=None))
    assert isinstance(result.data, EncodedData)
    for subscriber, kind in (("1", "next"), ('odd "id"', "data"), ("3", "next")):
        message = {"id": subscriber, "type": kind, "payload": {"data": result.data}}
        text = encoded_message(message, encode)  # type: ignore[arg-type]
        assert text is not None and json.loads(text) == {
            "id": subscriber,
            "type": kind,
            "payload": {"data": DATA},
        }
    assert len(calls) == 1


def test_results_with_errors_extensions_or_no_data_are_left_as_they_are() -> None:
    error = GraphQLError("boom")
    for result in (
        ExecutionResult(data=dict(DATA), errors=[error]),
        ExecutionResult(data=dict(DATA), errors=None, extensions={"cost": 1}),
        ExecutionResult(data=None, errors=[error]),
        PreExecutionError(data=None, errors=[error]),
    ):
        assert shared_result(result) is result


def test_other_messages_are_encoded_as_usual() -> None:
    _calls, encode = counting_encoder()
    data = EncodedData(DATA)
    for message in (
        {"id": "1", "type": "next", "payload": {"data": dict(DATA)}},  # not a shared result
        {"id": "1", "type": "next", "payload": {"data": data, "errors": [{"message": "x"}]}},
        {"id": "1", "type": "complete"},
        {"type": "connection_ack"},
    ):
        assert encoded_message(message, encode) is None  # type: ignore[arg-type]
