"""Timed lyrics: Suno's aligned words grouped into lines, and the LRC text players read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suno.models import AlignedLyrics, TimedText


def aligned_lyrics(clip_id: str, raw_words: Sequence[Any]) -> AlignedLyrics:
    """Suno's `aligned_words` ({word, start_s, end_s}); a word ending with a newline ends its line."""
    words: list[TimedText] = []
    lines: list[TimedText] = []
    current: list[TimedText] = []
    for raw in raw_words:
        if not isinstance(raw, Mapping):
            continue
        text = str(raw.get("word") or "")
        start, end = _seconds(raw.get("start_s")), _seconds(raw.get("end_s"))
        # Section markers ([Verse]) are not sung: no line of their own.
        for piece in text.splitlines(keepends=True):
            clean = piece.strip()
            if clean and not (clean.startswith("[") and clean.endswith("]")):
                word = TimedText(clean, start, end)
                words.append(word)
                current.append(word)
            if piece.endswith("\n") and current:
                lines.append(_line(current))
                current = []
    if current:
        lines.append(_line(current))
    return AlignedLyrics(clip_id=clip_id, words=tuple(words), lines=tuple(lines), lrc=lrc(lines))


def lrc(lines: Sequence[TimedText]) -> str:
    """One `[mm:ss.xx]text` row per line, in time order."""
    return "".join(f"[{_stamp(line.start)}]{line.text}\n" for line in sorted(lines, key=lambda x: x.start))


def _line(words: Sequence[TimedText]) -> TimedText:
    return TimedText(" ".join(word.text for word in words), words[0].start, words[-1].end)


def _stamp(seconds: float) -> str:
    hundredths = round(max(seconds, 0.0) * 100)
    minutes, rest = divmod(hundredths, 6000)
    return f"{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


def _seconds(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
