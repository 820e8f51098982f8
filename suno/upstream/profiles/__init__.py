"""Protocol profiles: how each generation of Suno's web app spells generate, feed and lyrics.

`web2026` (the default) speaks the current web app (`suno-2026.md`), `legacy` the 2024–25 calls.
Nothing above `suno/upstream/` knows which one runs.
"""

from __future__ import annotations

from suno.upstream.profiles.base import Profile, ProtocolChoice, SubmitOrder
from suno.upstream.profiles.legacy import LegacyProfile
from suno.upstream.profiles.web2026 import Web2026Profile

PROFILES: dict[str, type[Profile]] = {"web2026": Web2026Profile, "legacy": LegacyProfile}


def protocol_choice(name: str) -> ProtocolChoice:
    """The profile named `name`, and the other one to fall back to once."""
    primary = PROFILES[name]()
    other = next(kind for key, kind in PROFILES.items() if key != name)()
    return ProtocolChoice(primary, other)


__all__ = [
    "PROFILES",
    "LegacyProfile",
    "Profile",
    "ProtocolChoice",
    "SubmitOrder",
    "Web2026Profile",
    "protocol_choice",
]
