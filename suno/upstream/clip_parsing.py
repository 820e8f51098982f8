"""Reading Suno's replies into domain values, the same for every protocol profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from suno.errors import UpstreamProtocolError
from suno.models import Clip


def protocol_error(account: str, what: str, problem: str) -> UpstreamProtocolError:
    return UpstreamProtocolError(f"account {account!r}: Suno's {what} reply is unexpected: {problem}")


def field(reply: Any, name: str, what: str) -> Any:
    if not isinstance(reply, Mapping) or name not in reply:
        raise UpstreamProtocolError(f"Suno's {what} reply has no {name!r}")
    return reply[name]


def clips_from(items: Any, what: str, account: str) -> list[Clip]:
    if not isinstance(items, list):
        raise protocol_error(account, what, "clips is not a list")
    return [clip_from(item, what, account) for item in items]


def clip_from(item: Any, what: str, account: str) -> Clip:
    if not isinstance(item, Mapping) or not item.get("id"):
        raise protocol_error(account, what, "a clip without an id")
    return Clip.from_upstream(item)


def feed_items(reply: Any) -> Any:
    # /api/feed/ answered a bare list; /api/feed/v2 and v3 wrap the clips in an object.
    if isinstance(reply, list):
        return reply
    return field(reply, "clips", "feed")
