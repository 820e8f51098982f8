"""The guards' one cached check per query text: a cached verdict refuses (and answers) as the first one did."""

from __future__ import annotations

import pytest
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from schema.build import build_schema
from schema.guards import MAX_DEPTH, QueryChecks

TOO_DEEP = "id"
for _ in range(MAX_DEPTH + 1):
    TOO_DEEP = f"continuedFrom {{ {TOO_DEEP} }}"
TOO_DEEP_QUERY = f'{{ task(id: "x") {{ {TOO_DEEP} }} }}'


async def test_a_too_deep_query_is_refused_every_time_not_only_before_it_is_cached() -> None:
    schema = build_schema()
    for _ in range(3):
        result = await schema.execute(TOO_DEEP_QUERY)
        assert result.errors and "exceeds maximum operation depth" in result.errors[0].message
        assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_too_many_aliases_are_refused_every_time() -> None:
    aliased = "{ " + " ".join(f"a{i}: knownModels" for i in range(31)) + " }"
    for _ in range(2):
        result = await build_schema().execute(aliased)
        assert result.errors and result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_a_syntax_error_is_reported_every_time() -> None:
    for _ in range(2):
        result = await build_schema().execute("{ knownModels ")
        assert result.errors and result.errors[0].message.startswith("Syntax Error")
        assert result.errors[0].extensions == {"code": "GRAPHQL_PARSE_FAILED"}


async def test_too_many_tokens_are_refused_every_time() -> None:
    huge = "{ " + " ".join("knownModels" for _ in range(2100)) + " }"
    for _ in range(2):
        result = await build_schema().execute(huge)
        assert result.errors and "token" in result.errors[0].message.lower()


async def test_an_unknown_field_is_refused_every_time() -> None:
    for _ in range(2):
        result = await build_schema().execute("{ noSuchField }")
        assert result.errors and "noSuchField" in result.errors[0].message
        assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_a_valid_query_still_runs_once_cached() -> None:
    for _ in range(2):
        result = await build_schema().execute("query Known { knownModels }")
        assert result.errors is None and result.data and result.data["knownModels"]


async def test_a_cached_query_still_meets_the_operation_type_check() -> None:
    schema = build_schema()
    await schema.execute("mutation Nothing { knownModels }")  # cached as invalid: Mutation has no such field
    query = "query Allowed { knownModels }"
    assert (await schema.execute(query)).errors is None
    with pytest.raises(InvalidOperationTypeError):
        await schema.execute(query, allowed_operation_types={OperationType.MUTATION})


def test_the_checks_parse_and_validate_a_text_once() -> None:
    checks = QueryChecks(maxsize=8)
    graphql_schema = build_schema()._schema
    first = checks.check(graphql_schema, (), "{ knownModels }")
    assert checks.check(graphql_schema, (), "{ knownModels }") is first
    assert first.document is not None and first.errors == ()
    assert checks.check(graphql_schema, (), "{ knownModels").document is None
