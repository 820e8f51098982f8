"""Who solves Suno's challenges: nobody (`none`), a person handing a token in (`relay`), or a solver service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from suno.challenges.tokens import CaptchaToken

Deliver = Callable[[str, CaptchaToken], None]


class ChallengeSolver(Protocol):
    name: str
    # True: a challenge parks the task until a token arrives; False: the task fails as Suno refused it.
    parks: bool

    def start(self, account: str, version: int, deliver: Deliver) -> None:
        """Begin solving `account`'s challenge (once; calling again while it runs does nothing)."""
        ...

    async def aclose(self) -> None: ...


class NoSolver:
    name = "none"
    parks = False

    def start(self, account: str, version: int, deliver: Deliver) -> None:
        return None

    async def aclose(self) -> None:
        return None


class RelaySolver:
    """A person solves it (in a browser, for instance) and hands the token in (solveChallenge)."""

    name = "relay"
    parks = True

    def start(self, account: str, version: int, deliver: Deliver) -> None:
        return None  # the account event and the alert tell the person

    async def aclose(self) -> None:
        return None
