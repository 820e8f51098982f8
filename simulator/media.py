"""Playable audio and cover images the simulator makes itself: a short melody as WAV, a flat-colour PNG."""

from __future__ import annotations

import functools
import hashlib
import math
import struct
import zlib
from array import array

SAMPLE_RATE = 16_000
NOTE_SECONDS = 0.4
NOTES_PER_CLIP = 16
CLIP_SECONDS = NOTE_SECONDS * NOTES_PER_CLIP
# A pentatonic scale (C major) sounds pleasant whatever order the notes come in.
PENTATONIC_HZ = (261.63, 293.66, 329.63, 392.00, 440.00, 523.25, 587.33, 659.25)


def _seed(clip_id: str) -> bytes:
    return hashlib.sha256(clip_id.encode()).digest()


@functools.lru_cache(maxsize=32)
def clip_wav(clip_id: str, seconds: float = CLIP_SECONDS) -> bytes:
    """A melody picked from the clip id, so both clips of a batch sound different and stay the same."""
    seed = _seed(clip_id)
    samples = array("h")
    note_samples = int(SAMPLE_RATE * NOTE_SECONDS)
    notes = max(int(seconds / NOTE_SECONDS), 1)
    for index in range(notes):
        frequency = PENTATONIC_HZ[seed[index % len(seed)] % len(PENTATONIC_HZ)]
        step = 2 * math.pi * frequency / SAMPLE_RATE
        for n in range(note_samples):
            # A quick fade in and out of every note avoids clicks between them.
            envelope = min(1.0, n / 400, (note_samples - n) / 400)
            samples.append(int(9000 * envelope * math.sin(step * n)))
    return _wav(samples.tobytes())


def _wav(pcm: bytes) -> bytes:
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(pcm),
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        SAMPLE_RATE,
        SAMPLE_RATE * 2,
        2,
        16,
        b"data",
        len(pcm),
    )
    return header + pcm


@functools.lru_cache(maxsize=64)
def cover_png(clip_id: str, size: int = 64) -> bytes:
    red, green, blue = _seed(clip_id)[:3]
    row = b"\x00" + bytes((red, green, blue)) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )
