"""Which Suno protocol profile the suites speak: SUNOQL_TEST_PROTOCOL=legacy runs them on the old calls."""

from __future__ import annotations

import os

from suno.config import SUNO_PROTOCOLS

ENV_NAME = "SUNOQL_TEST_PROTOCOL"


def test_protocol() -> str:
    value = os.environ.get(ENV_NAME, "").strip().lower() or SUNO_PROTOCOLS[0]
    if value not in SUNO_PROTOCOLS:
        raise ValueError(f"{ENV_NAME} must be one of {', '.join(SUNO_PROTOCOLS)}, got {value!r}")
    return value


test_protocol.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test
