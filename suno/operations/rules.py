"""What Suno would refuse, checked before paying: the model's allowed combinations and the source's fitness."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.errors import InvalidRequest
from suno.models import Clip, MusicRequest, OperationRequest, Task, TaskAction
from suno.upstream.operations import UPLOAD_EXTEND_TASK, V2_WEB_TASKS

PERSONA_CONDITION = "persona"


def conditions(action: TaskAction, request: OperationRequest, *, from_upload: bool) -> frozenset[str]:
    """The conditions a generation puts on the model, in the names of `allowed_condition_combinations`."""
    found: set[str] = set()
    if action in V2_WEB_TASKS:
        found.add(UPLOAD_EXTEND_TASK if action is TaskAction.EXTEND and from_upload else V2_WEB_TASKS[action])
    if request.persona_id:
        found.add(PERSONA_CONDITION)
    return frozenset(found)


def check_model(model: str, wanted: frozenset[str], models: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a model the account cannot use, or one whose combinations do not include `wanted`.

    An account whose billing lists no models (older eras) is not checked: Suno decides.
    """
    if not models:
        return
    found = next((m for m in models if model in (m.get("external_key"), m.get("name"))), None)
    usable = [str(m.get("external_key") or m.get("name")) for m in models if m.get("can_use", True)]
    if found is None or found.get("can_use") is False:
        raise InvalidRequest(
            f"model {model!r} is not available to this account; available: {', '.join(usable)}", field="mv"
        )
    combinations = found.get("allowed_condition_combinations")
    if not wanted or not isinstance(combinations, list):
        return
    allowed = [frozenset(str(c) for c in combo) for combo in combinations if isinstance(combo, list)]
    if not any(wanted <= combo for combo in allowed):
        supported = "; ".join(" + ".join(sorted(combo)) for combo in allowed if combo) or "none"
        raise InvalidRequest(
            f"model {model!r} does not support {' + '.join(sorted(wanted))} (its combinations: {supported})",
            field="mv",
        )


def check_source(action: TaskAction, request: OperationRequest, source: Clip, made_by: Task | None) -> None:
    """The source clip must be finished and fit the operation (add vocals needs an instrumental…)."""
    if source.status != "complete":
        raise InvalidRequest(
            f"clip {source.id!r} is {source.status or 'not finished'}: operations need a finished clip",
            field="clip_id",
        )
    if request.continue_at is not None and source.duration and request.continue_at > source.duration:
        raise InvalidRequest(
            f"continue_at {request.continue_at:g} s is past the clip's end ({source.duration:g} s)",
            field="continue_at",
        )
    instrumental = is_instrumental(source, made_by)
    if action is TaskAction.ADD_VOCALS and instrumental is False:
        raise InvalidRequest(
            f"clip {source.id!r} has vocals: add vocals needs an instrumental of your own", field="clip_id"
        )
    if action is TaskAction.ADD_INSTRUMENTAL and instrumental is True:
        raise InvalidRequest(
            f"clip {source.id!r} is an instrumental: add instrumental needs a clip with vocals",
            field="clip_id",
        )


def is_instrumental(source: Clip, made_by: Task | None) -> bool | None:
    """True/False when known (the request that made it, or Suno's metadata); None when nothing says."""
    if made_by is not None and isinstance(made_by.request, MusicRequest):
        return made_by.request.make_instrumental
    metadata = source.raw.get("metadata")
    if isinstance(metadata, Mapping) and isinstance(metadata.get("make_instrumental"), bool):
        return bool(metadata["make_instrumental"])
    return None


def is_upload(source: Clip, made_by: Task | None) -> bool:
    if made_by is not None and made_by.action is TaskAction.UPLOAD:
        return True
    metadata = source.raw.get("metadata")
    return isinstance(metadata, Mapping) and metadata.get("type") == "upload"
