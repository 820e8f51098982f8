"""The one place where exceptions become GraphQL errors with `extensions.code`; internal details are masked."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaskErrors
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from suno.errors import InvalidRequest, RateLimited, StoreUnavailable, SunoError, UpstreamError

INTERNAL_MESSAGE = "Internal server error"
# What a streaming transport (SSE, multipart) reports in the stream where plain HTTP answers a 400.
OPERATION_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)
# The original's request field names that differ from the GraphQL input's.
GRAPHQL_FIELD_NAMES = {"mv": "model", "task_id": "continueTaskId", "duration": "durationSeconds"}


def error_extensions(error: SunoError) -> dict[str, object]:
    extensions: dict[str, object] = {"code": error.code}
    if isinstance(error, InvalidRequest) and error.field:
        extensions["field"] = graphql_field_name(error.field)
    if isinstance(error, UpstreamError):
        extensions["reason"] = error.reason
        if error.task_id:
            extensions["taskId"] = error.task_id
        if error.status_code:
            extensions["upstreamStatus"] = error.status_code
    if isinstance(error, RateLimited | StoreUnavailable) and error.retry_after is not None:
        extensions["retryAfter"] = error.retry_after
    return extensions


def graphql_field_name(field: str) -> str:
    if field in GRAPHQL_FIELD_NAMES:
        return GRAPHQL_FIELD_NAMES[field]
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def coded_error(error: GraphQLError) -> GraphQLError:
    """The error as a client should see it: a code always, the message only when it is safe."""
    original = error.original_error
    if isinstance(original, SunoError):
        extensions = error_extensions(original)
        message = original.message
    elif isinstance(original, OPERATION_ERRORS):
        # e.g. a query sent as a multipart subscription: "queries are not allowed".
        extensions = {"code": "BAD_REQUEST"}
        message = error.message
    elif original is None or isinstance(original, GraphQLError):
        # Raised by graphql-core itself (syntax, validation, variables) or on purpose with a code.
        extensions = {"code": _request_error_code(error), **(error.extensions or {})}
        message = error.message
    else:
        # Logged (with its traceback) by SunoSchema.process_errors before this runs.
        extensions = {"code": "INTERNAL"}
        message = INTERNAL_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


_VARIABLE_ERROR = re.compile(r"^Variable '\$\w+'")


def _request_error_code(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if _VARIABLE_ERROR.match(error.message):
        return "BAD_USER_INPUT"
    # Errors with a path arose while executing (e.g. a null in a non-null field): ours, not the caller's.
    return "GRAPHQL_VALIDATION_FAILED" if error.path is None else "INTERNAL"


def is_unexpected(error: GraphQLError) -> bool:
    """An exception nobody raised on purpose: worth a traceback in the log."""
    original = error.original_error
    return original is not None and not isinstance(original, (SunoError, GraphQLError, *OPERATION_ERRORS))


class CodedErrors(MaskErrors):
    """MaskErrors' hooks (each subscription result included) with our mapping, for every kind of result."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [coded_error(error) for error in errors]

    def on_operation(self) -> Iterator[None]:
        self._stream_result_processed = False
        yield
        if self._stream_result_processed:
            return
        # MaskErrors skips the results of parse errors (PreExecutionError); we must not.
        result = self.execution_context.result
        for part in (result, getattr(result, "initial_result", None)):
            errors = getattr(part, "errors", None)
            if errors:
                part.errors = self._process_errors(errors)  # type: ignore[union-attr]
