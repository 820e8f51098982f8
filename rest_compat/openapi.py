"""OpenAPI 3.1 built from the routes themselves: a DocumentedRoute carries its Operation, pydantic gives the schemas.

A front door declares each route once::

    DocumentedRoute("/v1/models", list_models, methods=["GET"], operation=Operation(
        summary="List the models", tags=("OpenAI",),
        replies={200: Reply("The models", ModelList, examples={"two models": {...}})},
    ))

and `build_openapi(app.routes)` finds every DocumentedRoute (inside Mounts too) and writes
the document: paths, path parameters from the route's own pattern, bodies and replies
as `$ref`s into `components.schemas` generated from the pydantic models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route, Router

OPENAPI_VERSION = "3.1.0"
SECURITY_SCHEME = "bearerAuth"
_REF = "#/components/schemas/{model}"
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@dataclass(frozen=True, slots=True)
class Body:
    """A request body: a pydantic model and named example values (name → value)."""

    model: type[BaseModel] | None
    examples: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    content_type: str = "application/json"
    required: bool = True


@dataclass(frozen=True, slots=True)
class Reply:
    """One response: its description, model (None for no schema) and named example values."""

    description: str
    model: type[BaseModel] | None = None
    examples: Mapping[str, Any] = field(default_factory=dict)
    content_type: str = "application/json"
    # Header name → description.
    headers: Mapping[str, str] = field(default_factory=dict)
    # Link name → Link: how a value in this reply feeds another operation.
    links: Mapping[str, Link] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Link:
    """An OpenAPI link: `parameters` maps the target's parameter names to runtime expressions."""

    operation_id: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: Literal["query", "header", "path", "cookie"]
    description: str = ""
    required: bool = False
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    example: Any = None


@dataclass(frozen=True, slots=True)
class Operation:
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    body: Body | None = None
    # HTTP status (or "default") → Reply.
    replies: Mapping[int | str, Reply] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()
    # True: needs `Authorization: Bearer <SECRET_TOKEN>` when SECRET_TOKEN is set.
    secured: bool = False
    operation_id: str = ""
    deprecated: bool = False


class DocumentedRoute(Route):
    """A Starlette Route that also carries the Operation describing it."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        operation: Operation,
        methods: Sequence[str] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(path, endpoint, methods=list(methods) if methods else None, name=name)
        self.operation = operation


@dataclass(frozen=True, slots=True)
class ApiInfo:
    title: str = "sunoql"
    version: str = "0.1.0"
    description: str = ""


def documented_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, DocumentedRoute]]:
    """Every DocumentedRoute with its full path, looking inside Mounts and Routers."""
    for route in routes:
        if isinstance(route, DocumentedRoute):
            yield prefix + route.path_format, route
        elif isinstance(route, Mount):
            yield from documented_routes(route.routes, prefix + route.path)
        elif isinstance(route, Router):
            yield from documented_routes(route.routes, prefix)


def build_openapi(
    routes: Iterable[BaseRoute],
    info: ApiInfo | None = None,
    *,
    external: Mapping[tuple[str, str], Operation] | None = None,
    present_paths: Iterable[str] = (),
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every DocumentedRoute in `routes`.

    `external` documents routes somebody else serves as plain Routes, keyed by (path, METHOD);
    each is included only when its path is in `present_paths` (so the document never lists a
    route the app does not have).
    """
    info = info or ApiInfo()
    entries: list[tuple[str, str, Operation, DocumentedRoute | None]] = []
    for path, documented in documented_routes(routes):
        for method in sorted(documented.methods or {"GET"}, key=_method_rank):
            if method != "HEAD":
                entries.append((path, method, documented.operation, documented))
    present = set(present_paths)
    for (path, method), operation in (external or {}).items():
        if path in present:
            entries.append((path, method.upper(), operation, None))

    schemas = _Schemas(entries)
    paths: dict[str, dict[str, Any]] = {}
    for path, method, operation, route in entries:
        paths.setdefault(path, {})[method.lower()] = _operation(path, method, operation, route, schemas)

    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": info.title, "version": info.version, "description": info.description},
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "SECRET_TOKEN (only checked when it is set)",
                }
            },
        },
    }
    tags = sorted({tag for _, _, operation, _ in entries for tag in operation.tags})
    if tags:
        document["tags"] = [{"name": tag} for tag in tags]
    return document


def _method_rank(method: str) -> int:
    return _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)


class _Schemas:
    """JSON Schemas of every model used, generated once, shared through components.schemas."""

    def __init__(self, entries: Sequence[tuple[str, str, Operation, DocumentedRoute | None]]) -> None:
        wanted: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {}
        for _, _, operation, _ in entries:
            if operation.body is not None and operation.body.model is not None:
                wanted[(operation.body.model, "validation")] = None
            for reply in operation.replies.values():
                if reply.model is not None:
                    wanted[(reply.model, "serialization")] = None
        self.refs: dict[tuple[Any, JsonSchemaMode], dict[str, Any]] = {}
        self.components: dict[str, Any] = {}
        if wanted:
            refs, top = models_json_schema(list(wanted), ref_template=_REF)
            self.refs = {key: dict(value) for key, value in refs.items()}
            self.components = dict(top.get("$defs", {}))

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, Any]:
        return self.refs[(model, mode)]


def _operation(
    path: str, method: str, operation: Operation, route: DocumentedRoute | None, schemas: _Schemas
) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": operation.summary}
    if operation.description:
        out["description"] = operation.description
    if operation.tags:
        out["tags"] = list(operation.tags)
    out["operationId"] = operation.operation_id or _operation_id(method, path)
    if operation.deprecated:
        out["deprecated"] = True

    parameters = [_parameter(parameter) for parameter in operation.parameters]
    declared = {(parameter.name, parameter.location) for parameter in operation.parameters}
    if route is not None:
        for name, convertor in route.param_convertors.items():
            if (name, "path") not in declared:
                parameters.append(
                    {"name": name, "in": "path", "required": True, "schema": _convertor_schema(convertor)}
                )
    if parameters:
        out["parameters"] = parameters

    if operation.body is not None:
        body = operation.body
        media: dict[str, Any] = {}
        if body.model is not None:
            media["schema"] = schemas.ref(body.model, "validation")
        if body.examples:
            media["examples"] = _examples(body.examples)
        request_body: dict[str, Any] = {"required": body.required, "content": {body.content_type: media}}
        if body.description:
            request_body["description"] = body.description
        out["requestBody"] = request_body

    responses: dict[str, Any] = {}
    for status, reply in operation.replies.items():
        responses[str(status)] = _reply(reply, schemas)
    out["responses"] = responses or {"200": {"description": "OK"}}

    if operation.secured:
        # Either the bearer or nothing: the token is only required when SECRET_TOKEN is set.
        out["security"] = [{SECURITY_SCHEME: []}, {}]
    return out


def _reply(reply: Reply, schemas: _Schemas) -> dict[str, Any]:
    out: dict[str, Any] = {"description": reply.description}
    media: dict[str, Any] = {}
    if reply.model is not None:
        media["schema"] = schemas.ref(reply.model, "serialization")
    if reply.examples:
        media["examples"] = _examples(reply.examples)
    if media or reply.model is not None:
        out["content"] = {reply.content_type: media}
    if reply.links:
        out["links"] = {
            name: {
                "operationId": link.operation_id,
                "parameters": dict(link.parameters),
                **({"description": link.description} if link.description else {}),
            }
            for name, link in reply.links.items()
        }
    if reply.headers:
        out["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in reply.headers.items()
        }
    return out


def _parameter(parameter: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": parameter.name,
        "in": parameter.location,
        "required": parameter.required or parameter.location == "path",
        "schema": dict(parameter.schema),
    }
    if parameter.description:
        out["description"] = parameter.description
    if parameter.example is not None:
        out["example"] = parameter.example
    return out


def _examples(examples: Mapping[str, Any]) -> dict[str, Any]:
    return {_slug(name): {"summary": name, "value": value} for name, value in examples.items()}


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower()).strip("_") or "example"


def _operation_id(method: str, path: str) -> str:
    words = [part.strip("{}") for part in path.strip("/").split("/") if part]
    return "_".join([method.lower(), *words]).replace("-", "_").replace(".", "_")


def _convertor_schema(convertor: Any) -> dict[str, Any]:
    name = type(convertor).__name__
    if name == "IntegerConvertor":
        return {"type": "integer", "minimum": 0}
    if name == "FloatConvertor":
        return {"type": "number", "minimum": 0}
    return {"type": "string"}


# Serving the document.


def openapi_route(
    path: str = "/openapi.json",
    info: ApiInfo | None = None,
    *,
    external: Mapping[tuple[str, str], Operation] | None = None,
) -> Route:
    """A route serving the document of the app it is mounted in: built at the first request from the
    app's routes (fixed when create_app built them), then kept."""
    built: list[dict[str, Any]] = []

    async def openapi_document(request: Request) -> JSONResponse:
        if not built:
            routes = request.app.routes
            present = [route.path_format for route in routes if isinstance(route, Route)]
            built.append(build_openapi(routes, info, external=external, present_paths=present))
        return JSONResponse(built[0])

    return Route(path, openapi_document, methods=["GET"], include_in_schema=False)
