"""Speed and abuse guards for every operation: one parse and one validation per distinct query text, with
token, depth and alias limits; and the error codes on every result.

All of it is one extension with one hook: Strawberry builds a context manager per hook of each extension
on every operation, so five extensions (a parser cache, a validation cache, three limiters) cost more
than the execution of a small query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.validation import ASTValidationRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

from schema.errors import CodedErrors

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 30
CACHE_SIZE = 512

# Built once: the limiters make a new rule class per instance, and the checks are cached by rule class.
LIMIT_RULES: tuple[type[ASTValidationRule], ...] = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)

Rules = tuple[type[ASTValidationRule], ...]


@dataclass(frozen=True)
class CheckedQuery:
    """A query text parsed and validated: `document` is None when it does not parse."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()


class QueryChecks:
    """Parse and validate each distinct query text once (a bounded LRU), limits included.

    Keyed by the text, not the document: hashing a parsed document walks every node of it.
    """

    def __init__(self, maxsize: int = CACHE_SIZE, max_tokens: int = MAX_TOKENS) -> None:
        self.max_tokens = max_tokens
        self.check: Callable[[GraphQLSchema, Rules, str], CheckedQuery] = lru_cache(maxsize)(self._check)

    def _check(self, schema: GraphQLSchema, rules: Rules, query: str) -> CheckedQuery:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            # Strawberry parses it again and reports the error as it would without a cache.
            return CheckedQuery(None)
        return CheckedQuery(document, tuple(validate(schema, document, rules)))


class GuardedOperation(CodedErrors):
    """Hands Strawberry the cached document and validation verdict before it parses, then codes the errors.

    Strawberry parses only when no document is set and validates only when no verdict is set (an empty
    list is "valid"), so a cached query skips both; the operation type is still checked in between.
    """

    def __init__(self, checks: QueryChecks) -> None:
        super().__init__()
        self.checks = checks

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        # For the uncached parse of a text that does not parse, so its error is the limit's.
        context.parse_options["max_tokens"] = self.checks.max_tokens
        if context.query is not None and context.graphql_document is None:
            rules = context.validation_rules = (*context.validation_rules, *LIMIT_RULES)
            checked = self.checks.check(context.schema._schema, rules, context.query)
            if checked.document is not None:
                context.graphql_document = checked.document
                context.pre_execution_errors = list(checked.errors)
        yield from super().on_operation()


def guard_extensions() -> list[Callable[[], SchemaExtension]]:
    # A factory, not an instance: each operation gets its own (extensions keep per-operation state);
    # the checks' cache is shared by every operation on the schema.
    return [partial(GuardedOperation, QueryChecks())]
