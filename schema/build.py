"""The Schema object: root types, error codes and guards; and its SDL."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.errors import is_unexpected
from schema.guards import guard_extensions
from schema.root import Mutation, Query, Subscription

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
        extensions=guard_extensions(),
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
