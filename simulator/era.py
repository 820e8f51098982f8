"""The simulator's protocol generations: which Suno it imitates (SIMULATOR_ERA, `--era`)."""

from __future__ import annotations

from enum import StrEnum


class SimulatorEra(StrEnum):
    """Its values are the ones `suno.config.SIMULATOR_ERAS` accepts (a test keeps the two in step)."""

    SUNO_2024 = "2024"  # durable audio links on the CDN, every clip downloadable
    SUNO_2026 = "2026"  # the late-2026 media change: placeholder audio_url, media_urls, signed media

    @classmethod
    def parse(cls, value: str) -> SimulatorEra:
        """The era named `value`; ValueError naming the known ones otherwise."""
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(era.value for era in cls)
            raise ValueError(f"unknown era {value!r}; known: {known}") from None
