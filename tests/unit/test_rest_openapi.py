"""The OpenAPI document is generated from DocumentedRoutes and pydantic models."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from pydantic import BaseModel, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from rest_compat.api_docs import API_INFO
from rest_compat.openapi import (
    Body,
    DocumentedRoute,
    Operation,
    Parameter,
    Reply,
    build_openapi,
)
from rest_compat.validation import explain_validation_error


class Greeting(BaseModel):
    name: str = Field(max_length=10, description="who to greet")
    loud: bool = False


class Answer(BaseModel):
    text: str
    greeting: Greeting | None = None


async def endpoint(_request: Request) -> JSONResponse:
    return JSONResponse({})


def _routes() -> list[Route | Mount]:
    return [
        DocumentedRoute(
            "/hello/{who}",
            endpoint,
            methods=["POST"],
            operation=Operation(
                summary="Say hello",
                tags=("Demo",),
                body=Body(Greeting, examples={"Plain": {"name": "ann"}}),
                replies={
                    200: Reply("The answer", Answer, examples={"Done": {"text": "hi ann"}}),
                    400: Reply("Bad"),
                },
                parameters=(Parameter("verbose", "query", schema={"type": "boolean"}),),
                secured=True,
            ),
        ),
        Route("/plain", endpoint),
        Mount(
            "/v1",
            routes=[
                DocumentedRoute("/models", endpoint, methods=["GET"], operation=Operation(summary="List"))
            ],
        ),
    ]


def test_document_lists_every_documented_route_with_its_method() -> None:
    document = build_openapi(_routes())
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/hello/{who}", "/v1/models"}
    assert set(document["paths"]["/v1/models"]) == {"get"}
    assert document["tags"] == [{"name": "Demo"}]


def test_bodies_and_replies_reference_schemas_generated_from_the_models() -> None:
    document = build_openapi(_routes())
    post = document["paths"]["/hello/{who}"]["post"]
    body = post["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Greeting"}
    assert body["examples"]["plain"]["value"] == {"name": "ann"}
    schemas = document["components"]["schemas"]
    assert schemas["Greeting"]["properties"]["name"]["maxLength"] == 10
    assert "$ref" in str(schemas["Answer"]["properties"]["greeting"])
    assert post["responses"]["200"]["content"]["application/json"]["examples"]["done"]["value"] == {
        "text": "hi ann"
    }
    assert post["responses"]["400"] == {"description": "Bad"}


def test_path_parameters_come_from_the_route_pattern_and_extra_parameters_are_kept() -> None:
    post = build_openapi(_routes())["paths"]["/hello/{who}"]["post"]
    names = {(p["name"], p["in"], p["required"]) for p in post["parameters"]}
    assert names == {("who", "path", True), ("verbose", "query", False)}


def test_secured_operations_accept_the_bearer_or_nothing() -> None:
    document = build_openapi(_routes())
    assert document["paths"]["/hello/{who}"]["post"]["security"] == [{"bearerAuth": []}, {}]
    assert "security" not in document["paths"]["/v1/models"]["get"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_external_operations_appear_only_when_the_app_serves_that_path() -> None:
    external = {("/ping", "get"): Operation(summary="Ping")}
    assert "/ping" not in build_openapi(_routes(), external=external)["paths"]
    document = build_openapi(_routes(), external=external, present_paths=["/ping"])
    assert document["paths"]["/ping"]["get"]["summary"] == "Ping"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "name is required"),
        ({"name": 5}, "name must be a string, got a number"),
        ({"name": "x" * 11}, "name is too long: 11 characters, at most 10"),
        ({"name": "a", "loud": [1]}, "loud must be true or false, got a list"),
    ],
)
def test_validation_errors_read_as_sentences_naming_the_field(
    payload: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Greeting.model_validate(payload)
    assert explain_validation_error(caught.value) == message


def test_the_documents_version_is_the_packages() -> None:
    assert API_INFO.version == version("sunoql") != "1.0.0"
