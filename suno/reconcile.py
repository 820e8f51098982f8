"""Finding the clips of a submit whose answer was lost, among the account's recent clips.

Suno may or may not de-duplicate on `transaction_uuid` (unconfirmed), so the match is on what was sent
and when: the clip echoes the request's words, and it was made after the submission started.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from suno.models import Clip, MusicRequest

CONFIRMING_REASON = "confirming with Suno: the submission's answer was lost; looking for its clips"
OUTCOME_UNKNOWN = "outcome_unknown"
# A song is one batch of this many clips.
BATCH_SIZE = 2
# Clocks differ: a clip stamped a little before our submission started may still be ours.
CLOCK_SLACK_SECONDS = 120.0


def outcome_unknown_message(minutes: float) -> str:
    return (
        f"{OUTCOME_UNKNOWN}: Suno's answer to the submission was lost and its clips did not appear in the "
        f"account's feed within {minutes:g} min; credits may have been spent, so it was not sent again"
    )


def matching_clips(
    request: MusicRequest,
    transaction_uuid: str | None,
    sent_at: float,
    recent: Sequence[Clip],
    taken: Collection[str],
) -> tuple[Clip, ...]:
    """The clips (at most one batch, oldest first) that this submission made; () when none is seen."""
    candidates = [
        clip
        for clip in recent
        if clip.id not in taken
        and _made_after(clip, sent_at - CLOCK_SLACK_SECONDS)
        and _same_song(request, transaction_uuid, clip)
    ]
    candidates.sort(key=lambda clip: (_created(clip) or 0.0, clip.id))
    return tuple(candidates[:BATCH_SIZE])


def _same_song(request: MusicRequest, transaction_uuid: str | None, clip: Clip) -> bool:
    meta = _metadata(clip.raw)
    echoed = meta.get("transaction_uuid") or clip.raw.get("transaction_uuid")
    if echoed:
        return bool(transaction_uuid) and echoed == transaction_uuid
    if _kind(meta) not in ("gen", ""):
        return False
    if request.is_continuation:
        history = meta.get("history") or []
        sources = {item.get("id") for item in history if isinstance(item, Mapping)}
        if request.continue_clip_id not in sources:
            return False
    if request.is_inspiration_mode:
        return _text(meta.get("gpt_description_prompt")) == request.gpt_description_prompt.strip()
    if _text(meta.get("tags")) != request.effective_tags.strip():
        return False
    if request.title and _text(clip.title) != request.title.strip():
        return False
    return request.make_instrumental or _text(meta.get("prompt")) == request.prompt.strip()


def _metadata(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = raw.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _kind(meta: Mapping[str, Any]) -> str:
    kind = meta.get("type")
    return kind if isinstance(kind, str) else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _created(clip: Clip) -> float | None:
    if not clip.created_at:
        return None
    try:
        return datetime.fromisoformat(clip.created_at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _made_after(clip: Clip, moment: float) -> bool:
    created = _created(clip)
    return created is None or created >= moment
