"""Metric labels stay few and safe: route templates, upstream outcome statuses, failure kinds, request ids."""

from __future__ import annotations

from typing import Any

from starlette.routing import Mount, Route, WebSocketRoute

from ops.metrics_observer import failure_kind, outcome_status
from ops.request_context import UNMATCHED, incoming_request_id, route_template
from suno.errors import InsufficientCredits, NoAccountAvailable, UpstreamProtocolError, UpstreamUnavailable
from suno.worker import INTERRUPTED_REASON, TIMEOUT_REASON


async def endpoint(_request: Any) -> None:
    return None


ROUTES = [
    Route("/suno/fetch/{task_id}", endpoint),
    WebSocketRoute("/graphql", endpoint),
    Route("/graphql", endpoint, methods=["POST"]),
    Mount("/assets", routes=[Route("/{name}", endpoint)]),
]


def scope(path: str, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    return {"type": kind, "path": path, "method": method, "root_path": "", "headers": []}


def test_routes_are_labelled_by_their_template_not_their_path() -> None:
    assert route_template(ROUTES, scope("/suno/fetch/3f1c")) == "/suno/fetch/{task_id}"
    assert route_template(ROUTES, scope("/assets/song.mp3")) == "/assets/{path}"
    assert route_template(ROUTES, scope("/graphql", "POST")) == "/graphql"
    assert route_template(ROUTES, scope("/graphql", kind="websocket")) == "/graphql"
    assert route_template(ROUTES, scope("/no/such/thing")) == UNMATCHED


def test_a_wrong_method_is_labelled_with_the_route_it_almost_matched() -> None:
    assert route_template(ROUTES, scope("/graphql", "DELETE")) == "/graphql"


def test_upstream_outcomes_are_http_codes_or_a_few_words() -> None:
    assert outcome_status(InsufficientCredits("no credits", 402)) == "402"
    assert outcome_status(UpstreamUnavailable("timed out")) == "unreachable"
    assert outcome_status(UpstreamProtocolError("not json")) == "error"
    assert outcome_status(NoAccountAvailable("busy")) == "no_account"


def test_free_text_failure_reasons_map_to_a_bounded_kind() -> None:
    assert failure_kind(TIMEOUT_REASON) == "timeout"
    assert failure_kind(INTERRUPTED_REASON) == "interrupted"
    assert failure_kind("Suno reported an error for this song") == "suno"


def test_only_plain_short_request_ids_are_accepted() -> None:
    def with_id(value: bytes) -> dict[str, Any]:
        return {"headers": [(b"x-request-id", value)]}

    assert incoming_request_id(with_id(b"abc-123.x:y_z")) == "abc-123.x:y_z"
    assert incoming_request_id(with_id(b"has space")) is None
    assert incoming_request_id(with_id(b"x" * 129)) is None
    assert incoming_request_id({"headers": []}) is None
