"""The Schema object with its guards: parser and validation caches, depth, token and alias limits."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from schema.errors import CodedErrors, is_unexpected
from schema.root import Mutation, Query, Subscription

MAX_DEPTH = 8
MAX_TOKENS = 2000
MAX_ALIASES = 30
CACHE_SIZE = 512
SDL_PATH = Path(__file__).with_name("schema.graphql")


class SunoSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Errors of the caller's making (bad input, unknown id, Suno's refusals) are answers, not incidents.
        super().process_errors([error for error in errors if is_unexpected(error)], execution_context)


@cache
def build_schema() -> SunoSchema:
    return SunoSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            # Factories, not instances: each operation gets its own (they keep per-operation state).
            CodedErrors,
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            partial(ParserCache, maxsize=CACHE_SIZE),
            partial(ValidationCache, maxsize=CACHE_SIZE),
            partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
            partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        ],
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
