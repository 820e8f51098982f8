"""Redactor: the one way secrets leave text, by their values (fixed or re-read) and by their shapes."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable

REDACTED = "[redacted]"
# Shapes that are secret whatever their value: JWTs (Clerk's __client/__session and the bearer Suno
# wants), Clerk session ids, and whatever follows "Bearer".
SECRET_SHAPES = re.compile(
    r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"
    r"|\bsess_[A-Za-z0-9]{8,}"
    r"|(?<=[Bb]earer )[^\s\"',;]+"
)
MIN_SECRET_LENGTH = 8  # shorter values would blank out ordinary words
SECRETS_TTL = 1.0

SecretSource = Callable[[], Iterable[str]]


class Redactor:
    """Replaces known secret values and secret-shaped text.

    Values come fixed (`add`, e.g. one account's cookie and each new JWT) or from sources re-read at
    most once a second (`add_source`, e.g. every account's current secrets, since JWTs rotate).
    """

    def __init__(self, values: Iterable[str] = (), *, clock: Callable[[], float] = time.monotonic) -> None:
        self._values: set[str] = set()
        self._sources: list[SecretSource] = []
        self._clock = clock
        self._pattern: re.Pattern[str] | None = None
        self._read_at = -SECRETS_TTL
        self._lock = threading.Lock()
        self.add(*values)

    def add(self, *values: str) -> None:
        with self._lock:
            self._values.update(value for value in values if len(value) >= MIN_SECRET_LENGTH)
            self._read_at = -SECRETS_TTL

    def add_source(self, source: SecretSource) -> None:
        with self._lock:
            self._sources.append(source)
            self._read_at = -SECRETS_TTL

    def remove_source(self, source: SecretSource) -> None:
        with self._lock:
            if source in self._sources:
                self._sources.remove(source)
            self._read_at = -SECRETS_TTL

    def __call__(self, text: str) -> str:
        pattern = self._exact_pattern()
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        return SECRET_SHAPES.sub(REDACTED, text)

    def _exact_pattern(self) -> re.Pattern[str] | None:
        now = self._clock()
        with self._lock:
            if now - self._read_at >= SECRETS_TTL:
                self._read_at = now
                values = set(self._values)
                for source in self._sources:
                    try:
                        values.update(v for v in source() if v and len(v) >= MIN_SECRET_LENGTH)
                    except Exception:  # a source must never break logging
                        continue
                # Longest first, so a secret that contains another is removed whole.
                ordered = sorted(values, key=len, reverse=True)
                self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
            return self._pattern
