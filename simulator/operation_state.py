"""What the song operations add to the simulator's state: uploads, personas, video and alignment jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SimUpload:
    id: str
    account: str
    extension: str
    created_at: float
    size: int | None = None
    sha256: str = ""
    filename: str = ""
    finished_at: float | None = None


@dataclass
class SimPersona:
    id: str
    account: str
    root_clip_id: str
    name: str
    description: str
    is_public: bool
    # The clips made with it (its page lists the root clip, then these).
    clip_ids: list[str] = field(default_factory=list)


@dataclass
class OperationState:
    """What the operations add to the simulator's state; every v2-web operation body, for tests."""

    uploads: dict[str, SimUpload] = field(default_factory=dict)
    personas: dict[str, SimPersona] = field(default_factory=dict)
    videos: dict[str, float] = field(default_factory=dict)
    alignments: dict[str, float] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
