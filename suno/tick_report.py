"""What one worker tick did: counted by the worker, read by observers, health and metrics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class TickReport:
    claimed: int = 0
    accounts_polled: int = 0
    changed: int = 0
    dispatched: int = 0
    timed_out: int = 0
    errors: int = 0
    duration: float = 0.0
