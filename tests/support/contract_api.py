"""A stand-in GraphQL API with the fields other issues add (issues 12, 13, 14), for the console's tests.

The console reads the server's schema by introspection and shows a control only when its field exists.
This server runs graphql-core on today's SDL plus whatever of those contracts' SDL it lacks (once every
issue has landed, the real schema alone), answers from canned data and
records every operation, so a test can check what the page sent, validated against the contract's types.
It speaks graphql-transport-ws for `accountEvents` (one event per account, then silence).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_schema, extend_schema, graphql, parse
from graphql.language import DocumentNode, TypeDefinitionNode, TypeExtensionNode
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_SDL = """
enum AccountState { HEALTHY CHALLENGE_REQUIRED REAUTH_REQUIRED OUT_OF_CREDITS RATE_LIMITED DOWNLOADS_LOW }
extend type SunoAccount {
  state: AccountState!
  stateSince: DateTime
  stateReason: String
  challengeProvider: Int
}
type AccountEvent {
  account: String!
  state: AccountState!
  previousState: AccountState
  since: DateTime!
  reason: String
  challengeProvider: Int
}
type ModelLimit { field: String!, maxLength: Int! }
type SunoModel {
  account: String!
  key: String!
  name: String!
  aliases: [String!]!
  default: Boolean!
  usable: Boolean!
  limits: [ModelLimit!]!
  features: [String!]!
}
type Persona { id: ID!, name: String! }
type AlignedLine { text: String!, start: Float!, end: Float! }
type AlignedLyrics { lines: [AlignedLine!]!, lrc: String! }
input ExtendMusicInput { clipId: ID!, continueAt: Float, prompt: String, tags: String, title: String, model: String }
input CoverMusicInput {
  clipId: ID!, prompt: String, tags: String, title: String, model: String, coverStartS: Float, coverEndS: Float
}
input SeparateStemsInput { clipId: ID!, group: String }
input RemasterMusicInput { clipId: ID!, variation: String, model: String }
input CreatePersonaInput { clipId: ID!, name: String!, description: String, isPublic: Boolean }
extend input GenerateMusicInput {
  weirdness: Float
  styleWeight: Float
  audioWeight: Float
  variety: Int
  maxMode: Boolean
  mumble: Boolean
  durationSeconds: Int
  personaId: ID
}
scalar Upload
input UploadAudioInput { file: Upload, url: String, title: String }
extend enum TaskAction { EXTEND COVER STEMS REMASTER }
extend type Query { models: [SunoModel!]!, personas: [Persona!]!, alignedLyrics(clipId: ID!): AlignedLyrics }
extend type Mutation {
  extendMusic(input: ExtendMusicInput!): Task!
  coverMusic(input: CoverMusicInput!): Task!
  separateStems(input: SeparateStemsInput!): Task!
  remasterMusic(input: RemasterMusicInput!): Task!
  createPersona(input: CreatePersonaInput!): Persona!
  uploadAudio(input: UploadAudioInput!): Task!
  solveChallenge(account: String!, token: String!, provider: Int!): SunoAccount!
  updateAccount(name: String!, cookie: String!, sessionId: String): SunoAccount!
}
extend type Subscription { accountEvents: AccountEvent! }
"""
NOW = "2026-12-02T06:00:00+00:00"


def contract_schema() -> GraphQLSchema:
    base = build_schema((ROOT / "schema" / "schema.graphql").read_text())
    return extend_schema(base, _missing_from(base, parse(CONTRACT_SDL)))


def _missing_from(base: GraphQLSchema, contract: DocumentNode) -> DocumentNode:
    """The contract's definitions the real schema lacks: new types, and extensions' new fields or values."""
    kept: list[Any] = []
    for node in contract.definitions:
        existing = base.get_type(node.name.value) if hasattr(node, "name") else None
        if isinstance(node, TypeDefinitionNode) and existing is not None:
            continue
        if isinstance(node, TypeExtensionNode) and existing is not None:
            known = set(getattr(existing, "fields", None) or getattr(existing, "values", None) or ())
            members = "fields" if hasattr(node, "fields") else "values"
            fresh = tuple(item for item in getattr(node, members) or () if item.name.value not in known)
            if not fresh:
                continue
            node = type(node)(**{key: getattr(node, key) for key in node.keys} | {members: fresh})
        kept.append(node)
    return DocumentNode(definitions=tuple(kept))


def finished_task(task_id: str, title: str, action: str = "MUSIC") -> dict[str, Any]:
    clip: dict[str, Any] = {
        "id": f"clip-{task_id}",
        "title": title,
        "status": "complete",
        "audioUrl": None,
        "imageUrl": None,
        "duration": 30.0,
        "tags": "lofi",
        "prompt": "[Verse] la la",
        "modelName": "chirp-hawk",
        "assets": [],
    }
    return {
        "id": task_id,
        "action": action,
        "status": "SUCCESS",
        "progress": "100%",
        "failReason": None,
        "waitingReason": None,
        "submittedAt": NOW,
        "finishedAt": NOW,
        "updatedAt": NOW,
        "clips": [clip],
        "lyrics": None,
        "request": {
            "__typename": "MusicRequest",
            "title": title,
            "tags": "lofi",
            "gptDescriptionPrompt": "",
            "model": "chirp-hawk",
            "makeInstrumental": False,
        },
    }


def account(name: str, state: str, provider: int | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "creditsLeft": 40,
        "monthlyLimit": 50,
        "healthy": state == "HEALTHY",
        "inFlight": 0,
        "maxConcurrency": 2,
        "state": state,
        "stateSince": NOW,
        "stateReason": "Suno asks for a captcha" if state == "CHALLENGE_REQUIRED" else None,
        "challengeProvider": provider,
    }


@dataclass
class ContractApi:
    """Canned answers; `calls` holds (root field, variables) of every mutation the page sent."""

    schema: GraphQLSchema = field(default_factory=contract_schema)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    accounts: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"default": account("default", "CHALLENGE_REQUIRED", provider=2)}
    )

    def record(self, name: str, result: Any) -> Any:
        def resolve(_info: Any, **arguments: Any) -> Any:
            self.calls.append((name, arguments))
            return result(arguments) if callable(result) else result

        return resolve

    def root(self) -> dict[str, Any]:
        task = finished_task("t-made", "Made here")
        return {
            "knownModels": ["chirp-fenix"],
            "models": [
                {
                    "account": "default",
                    "key": "chirp-hawk",
                    "name": "v6",
                    "aliases": ["v6"],
                    "default": True,
                    "usable": True,
                    "limits": [
                        {"field": "title", "maxLength": 100},
                        {"field": "prompt", "maxLength": 5000},
                        {"field": "tags", "maxLength": 1000},
                    ],
                    "features": ["weirdness"],
                },
                {
                    "account": "default",
                    "key": "chirp-auk",
                    "name": "v4.5",
                    "aliases": ["v4.5"],
                    "default": False,
                    "usable": True,
                    "limits": [],
                    "features": [],
                },
                {
                    "account": "default",
                    "key": "chirp-v3-0",
                    "name": "v3",
                    "aliases": [],
                    "default": False,
                    "usable": False,
                    "limits": [],
                    "features": [],
                },
            ],
            "tasks": self.tasks,
            "task": lambda _info, **_args: None,
            "account": lambda _info, **_args: {"creditsLeft": 40, "accounts": list(self.accounts.values())},
            "personas": [{"id": "p-1", "name": "Night voice"}],
            "alignedLyrics": lambda _info, **_args: None,
            "generateMusic": self.record("generateMusic", task),
            "generateLyrics": self.record("generateLyrics", task),
            **{
                name: self.record(name, finished_task(f"t-{name}", name))
                for name in ("extendMusic", "coverMusic", "separateStems", "remasterMusic")
            },
            "uploadAudio": self.record("uploadAudio", finished_task("t-upload", "Uploaded")),
            "createPersona": self.record("createPersona", {"id": "p1", "name": "Me"}),
            "solveChallenge": self.record("solveChallenge", lambda args: self.solved(args["account"])),
            "updateAccount": self.record("updateAccount", lambda args: self.accounts[args["name"]]),
        }

    def tasks(self, _info: Any, **arguments: Any) -> dict[str, Any]:
        """Two pages of one finished song each: the second after the cursor "page-2"."""
        self.calls.append(("tasks", arguments))
        statuses = arguments.get("status")
        if statuses and "SUCCESS" not in statuses:
            return {"nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
        if arguments.get("after") == "page-2":
            page = {"hasNextPage": False, "endCursor": None}
            return {"nodes": [finished_task("t-older", "Older Song")], "pageInfo": page}
        return {
            "nodes": [finished_task("t-old", "Old Song")],
            "pageInfo": {"hasNextPage": True, "endCursor": "page-2"},
        }

    def solved(self, name: str) -> dict[str, Any]:
        self.accounts[name] = account(name, "HEALTHY")
        return self.accounts[name]

    async def http(self, request: Request) -> JSONResponse:
        body = await request.json()
        result = await graphql(
            self.schema, body["query"], root_value=self.root(), variable_values=body.get("variables")
        )
        reply: dict[str, Any] = {"data": result.data}
        if result.errors:
            reply["errors"] = [error.formatted for error in result.errors]
        return JSONResponse(reply)

    async def websocket(self, socket: WebSocket) -> None:
        await socket.accept(subprotocol="graphql-transport-ws")
        try:
            while True:
                message = json.loads(await socket.receive_text())
                if message["type"] == "connection_init":
                    await socket.send_json({"type": "connection_ack"})
                elif message["type"] == "subscribe" and "accountEvents" in message["payload"]["query"]:
                    for item in self.accounts.values():
                        event = {
                            "account": item["name"],
                            "state": item["state"],
                            "previousState": None,
                            "since": NOW,
                            "reason": item["stateReason"],
                            "challengeProvider": item["challengeProvider"],
                        }
                        payload = {"data": {"accountEvents": event}}
                        await socket.send_json({"id": message["id"], "type": "next", "payload": payload})
        except WebSocketDisconnect:
            return

    def routes(self) -> list[BaseRoute]:
        return [Route("/graphql", self.http, methods=["POST"]), WebSocketRoute("/graphql", self.websocket)]


def contract_app(api: ContractApi, console: list[BaseRoute]) -> Starlette:
    return Starlette(routes=[*api.routes(), *console])
