"""Speed and abuse guards for every operation: parse/validation caches, token, depth and alias limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 30
CACHE_SIZE = 512


class CachedParser(ParserCache):
    """ParserCache that lets a syntax error surface like an uncached one.

    Strawberry's ParserCache raises from inside its hook, which skips the other extensions' result
    processing (our error codes); on failure we leave the document unset and Strawberry parses again.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


# Built once: the limiters make a new rule class per instance, and the validation cache is keyed by
# the rule classes, so per-operation limiters would make every validation a cache miss.
LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


def guard_extensions() -> list[Callable[[], SchemaExtension]]:
    # Factories, not instances: each operation gets its own (extensions keep per-operation state).
    return [
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(CachedParser, maxsize=CACHE_SIZE),
        partial(AddValidationRules, list(LIMIT_RULES)),
        partial(ValidationCache, maxsize=CACHE_SIZE),
    ]
