"""Suno's JSON shapes for simulated clips and lyrics, at the moment they are asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from simulator.downloads import media_fields
from simulator.era import SimulatorEra
from simulator.media import CLIP_SECONDS
from simulator.state import SimClip, SimLyrics, SimulatorState

MAJOR_VERSIONS = {"chirp-fenix": "v5.5", "chirp-v4": "v4", "chirp-v3-5": "v3.5", "chirp-v3-0": "v3"}
_WORDS = ("neon", "river", "midnight", "echo", "summer", "static", "velvet", "signal", "harbor", "ember")


def iso(timestamp: float) -> str:
    moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _pick(seed: str, count: int) -> list[str]:
    digest = hashlib.sha256(seed.encode()).digest()
    return [_WORDS[digest[i] % len(_WORDS)] for i in range(count)]


def invented_title(seed: str) -> str:
    return " ".join(word.capitalize() for word in _pick(seed, 2))


def invented_lyrics(idea: str) -> str:
    a, b, c, d = _pick(idea, 4)
    subject = idea.strip()[:60] or "nothing at all"
    return (
        f"[Verse]\nI sang about {subject}\nunder {a} skies and {b} lights\n\n"
        f"[Chorus]\n{c.capitalize()} and {d}, we carry on\n(simulated by sunoql)\n"
    )


def clip_json(state: SimulatorState, clip: SimClip, base_url: str) -> dict[str, Any]:
    status = state.clip_status(clip)
    media = f"{base_url}/media"
    audio_url: str | None = ""
    duration: float | None = None
    if status == "streaming":
        # Like audiopipe.suno.ai: playable while the song is still being made.
        audio_url = f"{base_url}/audiopipe/?item_id={clip.id}"
    elif status == "complete":
        audio_url = f"{media}/{clip.id}.wav"
        duration = CLIP_SECONDS
    elif status == "error":
        audio_url = f"{media}/None.mp3"  # Suno's way of saying "no asset"
    lyrics = clip.prompt if clip.prompt or clip.make_instrumental else invented_lyrics(clip.description)
    title = clip.title or (invented_title(clip.description or clip.id) if status != "submitted" else "")
    shows_image = status in ("streaming", "complete")
    reply = {
        "id": clip.id,
        "status": status,
        "title": title,
        "model_name": clip.mv,
        "major_model_version": MAJOR_VERSIONS.get(clip.mv, clip.mv),
        "audio_url": audio_url,
        "video_url": "",
        "image_url": f"{media}/image_{clip.id}.png" if shows_image else None,
        "image_large_url": f"{media}/image_large_{clip.id}.png" if shows_image else None,
        "is_video_pending": False,
        "created_at": iso(clip.created_at),
        "user_id": f"user_{clip.account}",
        "display_name": clip.account,
        "handle": clip.account,
        "is_handle_updated": False,
        "is_liked": False,
        "is_trashed": False,
        "reaction": None,
        "play_count": 0,
        "upvote_count": 0,
        "is_public": False,
        "metadata": {
            "tags": clip.tags,
            "negative_tags": clip.negative_tags,
            "prompt": lyrics if status != "submitted" else clip.prompt,
            "gpt_description_prompt": clip.description or None,
            "audio_prompt_id": None,
            "history": clip.history or None,
            "concat_history": clip.history if clip.kind == "concat" else None,
            "stem_from_id": clip.stem_from_id,
            "make_instrumental": clip.make_instrumental,
            "type": clip.kind,
            "duration": duration,
            "refund_credits": status == "error",
            "stream": True,
            "error_type": "simulated_failure" if status == "error" else None,
            "error_message": clip.error_message if status == "error" else None,
        },
    }
    if state.era is SimulatorEra.SUNO_2026 and status == "complete":
        reply.update(media_fields(state, clip, base_url))
    return reply


def lyrics_json(state: SimulatorState, lyrics: SimLyrics) -> dict[str, Any]:
    if not state.lyrics_done(lyrics):
        return {"id": lyrics.id, "text": "", "title": "", "status": "running"}
    return {
        "id": lyrics.id,
        "text": invented_lyrics(lyrics.prompt),
        "title": invented_title(lyrics.prompt),
        "status": "complete",
    }


def aligned_words(clip: SimClip) -> list[dict[str, Any]]:
    words = (clip.prompt or invented_lyrics(clip.description)).split()
    words = [word for word in words if not (word.startswith("[") and word.endswith("]"))]
    step = CLIP_SECONDS / max(len(words), 1)
    return [
        {
            "word": word,
            "start_s": round(i * step, 3),
            "end_s": round((i + 1) * step, 3),
            "success": True,
            "p_align": 0.9,
        }
        for i, word in enumerate(words)
    ]
