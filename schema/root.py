"""The root operation types; each field delegates to a thin resolver."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from resolvers import account as account_resolvers
from resolvers import models as model_resolvers
from resolvers import operations as ops
from resolvers import tasks as task_resolvers
from schema.account import Account, AccountEvent, SunoAccount
from schema.operations import AlignedLyrics, Persona
from schema.suno_model import SunoModel
from schema.types import Task, TaskConnection
from suno.models import KNOWN_MODELS


@strawberry.type(description="Read tasks and the account.")
class Query:
    task: Task | None = strawberry.field(
        resolver=task_resolvers.task, description="One task by id; null when no task has that id."
    )
    tasks: TaskConnection = strawberry.field(
        resolver=task_resolvers.tasks,
        description="Tasks newest first, a page at a time (first: 1–100, default 20; after: the previous "
        "page's pageInfo.endCursor), optionally only some statuses, actions or ids.",
    )
    account: Account = strawberry.field(
        resolver=account_resolvers.account,
        description="Credits and health of the Suno account(s); refresh: true asks Suno now.",
    )
    models: list[SunoModel] = strawberry.field(
        resolver=model_resolvers.models,
        description="Each account's models from its billing (cached with it): key, name, aliases, default, "
        "usable, limits, features.",
    )
    known_models: list[str] = strawberry.field(
        resolver=lambda: list(KNOWN_MODELS),
        description="The Suno model keys this server knows.",
        deprecation_reason="Use `models`: the account's billing says which models it may use.",
    )
    personas: list[Persona] = strawberry.field(
        resolver=ops.personas, description="The personas made here (createPersona), newest first."
    )
    aligned_lyrics: AlignedLyrics | None = strawberry.field(
        resolver=ops.aligned_lyrics,
        description="A finished clip's timed lyrics (words, lines, LRC); asks Suno the first time and waits up "
        "to a minute; null when Suno is still timing them (ask again).",
    )


@strawberry.type(description="Start tasks.")
class Mutation:
    generate_music: Task = strawberry.mutation(
        resolver=task_resolvers.generate_music,
        description="Start a song (two clips). Returns the stored task at once; follow it with "
        "taskProgress. An upstream rejection is an UPSTREAM_ERROR whose extensions.taskId names the failed task.",
    )
    generate_lyrics: Task = strawberry.mutation(
        resolver=task_resolvers.generate_lyrics,
        description="Start lyrics. Returns at once; the lyrics arrive through taskProgress or task.",
    )
    solve_challenge: SunoAccount = strawberry.mutation(
        resolver=account_resolvers.solve_challenge,
        description="Hand in a solved Suno challenge for an account (CAPTCHA_SOLVER=relay): the songs "
        "waiting for it are sent with the token.",
    )
    update_account: SunoAccount = strawberry.mutation(
        resolver=account_resolvers.update_account,
        description="Replace an account's login in place (in-flight songs keep polling); the values are "
        "never echoed. Ends REAUTH_REQUIRED once Clerk accepts them.",
    )
    # Song operations: each returns its new task at once, like generateMusic; rules are checked before paying.
    extend_music: Task = strawberry.mutation(resolver=ops.extend_music, description="Extend a clip of yours.")
    cover_music: Task = strawberry.mutation(resolver=ops.cover_music, description="Cover a clip of yours.")
    concat_music: Task = strawberry.mutation(
        resolver=ops.concat_music,
        description="Make the whole song of a clip and the extensions it continues.",
    )
    separate_stems: Task = strawberry.mutation(
        resolver=ops.separate_stems, description="Separate a clip into stems (all twelve, or one group)."
    )
    remaster_music: Task = strawberry.mutation(resolver=ops.remaster_music, description="Remaster a clip.")
    add_vocals: Task = strawberry.mutation(
        resolver=ops.add_vocals, description="Sing over an instrumental of yours."
    )
    add_instrumental: Task = strawberry.mutation(
        resolver=ops.add_instrumental, description="Put an instrumental under a clip's vocals."
    )
    generate_video: Task = strawberry.mutation(
        resolver=ops.generate_video, description="Make a clip's music video."
    )
    upload_audio: Task = strawberry.mutation(
        resolver=ops.upload_audio,
        description="Send your audio (multipart file or URL) to Suno; the task ends with its clip, ready to extend "
        "or cover.",
    )
    create_persona: Persona = strawberry.mutation(
        resolver=ops.create_persona, description="Make a persona from a finished clip (one per clip)."
    )


@strawberry.type(description="Follow tasks live.")
class Subscription:
    task_progress: AsyncGenerator[Task, None] = strawberry.subscription(
        resolver=task_resolvers.task_progress,
        description="The task now, then every change; completes after SUCCESS or FAILURE. "
        "An unknown id is a NOT_FOUND error.",
    )
    tasks_progress: AsyncGenerator[Task, None] = strawberry.subscription(
        resolver=task_resolvers.tasks_progress,
        description="Several tasks at once: each one now, then every change of any of them; "
        "completes when all have ended. An unknown id is a NOT_FOUND error.",
    )
    account_events: AsyncGenerator[AccountEvent, None] = strawberry.subscription(
        resolver=account_resolvers.account_events,
        description="Every account's health now (one event each), then every change.",
    )
