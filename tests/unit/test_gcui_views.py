"""gcui's AudioInfo and limit from domain values: Suno's metadata flattened, sunoql's links, credits summed."""

from __future__ import annotations

from rest_compat.gcui.views import audio_info, limit_reply, raw_clip
from rest_compat.gcui.wire import AudioInfo
from suno.assets.model import AssetKind, AssetState
from suno.assets.views import AssetView
from suno.models import AccountStatus, Clip

SUNO_CLIP = {
    "id": "c1",
    "status": "complete",
    "title": "Midnight Drive",
    "audio_url": "https://studio-api.prod.suno.com/api/forbidden",
    "image_url": "https://cdn.example/c1.jpeg",
    "video_url": "https://cdn.example/c1.mp4",
    "created_at": "2026-01-01T00:00:00.000Z",
    "model_name": "chirp-fenix",
    "metadata": {
        "prompt": "[Verse]\nCity lights",
        "tags": "synthwave",
        "negative_tags": "metal",
        "type": "gen",
        "duration": 183.5,
        "gpt_description_prompt": None,
        "error_message": None,
    },
}
OUR_AUDIO = "http://host/assets/clips/c1/audio?sig=x"


def test_audio_info_flattens_sunos_metadata_and_links_sunoqls_copy() -> None:
    views = [AssetView(clip_id="c1", kind=AssetKind.AUDIO, state=AssetState.READY, reason="", url=OUR_AUDIO)]
    info = audio_info(Clip.from_upstream(SUNO_CLIP), views)
    assert AudioInfo.model_validate(info).model_dump() == info
    assert info["audio_url"] == OUR_AUDIO and info["image_url"] == SUNO_CLIP["image_url"]
    assert info["lyric"] == info["prompt"] == "[Verse]\nCity lights"
    assert (info["tags"], info["negative_tags"], info["type"], info["duration"]) == (
        "synthwave",
        "metal",
        "gen",
        183.5,
    )
    assert raw_clip(Clip.from_upstream(SUNO_CLIP), views)["upstream_audio_url"] == SUNO_CLIP["audio_url"]


def test_a_clip_without_metadata_still_has_every_field() -> None:
    info = audio_info(Clip.from_upstream({"id": "c2", "status": "submitted"}))
    assert set(info) == set(AudioInfo.model_fields) and info["lyric"] == "" and info["tags"] is None


def test_the_limit_sums_every_account() -> None:
    statuses = [
        AccountStatus(name="a", credits_left=40, monthly_limit=50, monthly_usage=10, period="month"),
        AccountStatus(name="b", credits_left=None),
    ]
    assert limit_reply(statuses) == {
        "credits_left": 40,
        "period": "month",
        "monthly_limit": 50,
        "monthly_usage": 10,
    }
