"""The GraphQL schema: exported SDL is current, everything is described, guards are in place."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType

from schema.build import SDL_PATH, build_schema, schema_sdl
from schema.guards import MAX_DEPTH


def test_exported_sdl_matches_the_schema_run_python_m_schema_when_this_fails() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == schema_sdl()


def test_every_type_field_and_argument_of_ours_has_a_description() -> None:
    undescribed = []
    for name, graphql_type in build_schema()._schema.type_map.items():
        # Upload is Strawberry's multipart scalar; the field that takes it (UploadAudioInput.file) says what it is.
        builtin = ("String", "Boolean", "Int", "Float", "ID", "DateTime", "JSON", "Upload")
        if name.startswith("__") or name in builtin:
            continue
        if not graphql_type.description:
            undescribed.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    undescribed.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        undescribed.append(f"{name}.{field_name}({arg_name})")
        elif isinstance(graphql_type, GraphQLEnumType):
            undescribed += [
                f"{name}.{value}" for value, spec in graphql_type.values.items() if not spec.description
            ]
        else:
            assert isinstance(graphql_type, GraphQLUnionType)
    assert undescribed == []


def test_the_operations_of_the_issue_are_all_there() -> None:
    sdl = schema_sdl()
    for signature in (
        "generateMusic(",
        "input: GenerateMusicInput!",
        "generateLyrics(",
        "input: GenerateLyricsInput!",
        "): Task!",
        "task(",
        "tasks(",
        "account(",
        "taskProgress(",
        "tasksProgress(",
    ):
        assert signature in sdl
    music_input = build_schema()._schema.type_map["GenerateMusicInput"]
    assert isinstance(music_input, GraphQLInputObjectType)
    assert set(music_input.fields) == {
        "gptDescriptionPrompt",
        "prompt",
        "title",
        "tags",
        "negativeTags",
        "vocalGender",
        "model",
        "makeInstrumental",
        "continueClipId",
        "continueAt",
        "continueTaskId",
        "webhookUrl",
        "weirdness",
        "styleWeight",
        "audioWeight",
        "variety",
        "maxMode",
        "mumble",
        "durationSeconds",
        "personaId",
    }
    # No default: the account's own default model (billing) applies unless DEFAULT_MODEL is set.
    assert music_input.fields["model"].default_value is None


def test_account_type_exposes_no_secret_fields() -> None:
    type_map = build_schema()._schema.type_map
    for name in ("Account", "SunoAccount"):
        graphql_type = type_map[name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for field_name in graphql_type.fields:
            assert not any(word in field_name.lower() for word in ("cookie", "jwt", "session", "secret"))


async def test_queries_deeper_than_the_limit_are_refused_before_running() -> None:
    # continuedFrom makes Task recursive: the depth guard is what bounds such a chain.
    chain = "id"
    for _ in range(MAX_DEPTH + 1):
        chain = f"continuedFrom {{ {chain} }}"
    result = await build_schema().execute(f'{{ task(id: "x") {{ {chain} }} }}')
    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_documents_with_too_many_tokens_are_refused() -> None:
    huge = "{ " + " ".join("knownModels" for _ in range(2100)) + " }"
    result = await build_schema().execute(huge)
    assert result.errors and "token" in result.errors[0].message.lower()
    assert result.errors[0].extensions == {"code": "GRAPHQL_PARSE_FAILED"}


async def test_too_many_aliases_are_refused() -> None:
    aliased = "{ " + " ".join(f"m{i}: knownModels" for i in range(40)) + " }"
    result = await build_schema().execute(aliased)
    assert result.errors and "aliases" in result.errors[0].message.lower()
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
