"""The bodies sent to Suno, timed lyrics as lines and LRC, and the audio sniffing of uploads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from suno.errors import InvalidRequest
from suno.models import Clip, OperationRequest, TaskAction
from suno.operations.audio_file import sniff, spool
from suno.operations.timed_lyrics import aligned_lyrics
from suno.upstream.operations import v2_web_body

SOURCE = Clip.from_upstream({"id": "src", "status": "complete", "title": "Rain", "metadata": {"tags": "pop"}})


def test_an_extension_takes_the_sources_title_and_style_unless_given() -> None:
    body = v2_web_body(
        TaskAction.EXTEND,
        OperationRequest(clip_id="src", continue_at=30.0, mv="chirp-fenix"),
        source=SOURCE,
        transaction_uuid="tx",
    )
    assert body["task"] == "extend" and body["continue_clip_id"] == "src" and body["continue_at"] == 30.0
    assert (body["title"], body["tags"], body["transaction_uuid"]) == ("Rain", "pop", "tx")
    assert body["metadata"]["is_remix"] is True and body["generation_type"] == "TEXT"
    uploaded = v2_web_body(
        TaskAction.EXTEND,
        OperationRequest(clip_id="src"),
        source=SOURCE,
        transaction_uuid="t",
        from_upload=True,
    )
    assert uploaded["task"] == "upload_extend"


def test_each_operation_names_its_source_as_suno_wants() -> None:
    cover = v2_web_body(
        TaskAction.COVER,
        OperationRequest(clip_id="src", cover_start_s=2.0),
        source=SOURCE,
        transaction_uuid="t",
    )
    assert cover["cover_clip_id"] == "src" and cover["title"] == "" and cover["cover_start_s"] == 2.0
    assert "cover_end_s" not in cover
    assert (
        v2_web_body(
            TaskAction.ADD_VOCALS, OperationRequest(clip_id="src"), source=SOURCE, transaction_uuid="t"
        )["overpainting_clip_id"]
        == "src"
    )
    assert (
        v2_web_body(
            TaskAction.ADD_INSTRUMENTAL, OperationRequest(clip_id="src"), source=SOURCE, transaction_uuid="t"
        )["task"]
        == "underpainting"
    )
    stems = v2_web_body(
        TaskAction.STEMS,
        OperationRequest(clip_id="src", mv="chirp-fenix", stem_group="Bass"),
        source=SOURCE,
        transaction_uuid="t",
    )
    assert (stems["mv"], stems["stem_task"], stems["stem_type_group_name"], stems["stem_type_id"]) == (
        "chirp-v3-0",
        "extract",
        "Bass",
        91,
    )
    assert stems["metadata"]["is_remix"] is False
    persona = v2_web_body(
        TaskAction.COVER,
        OperationRequest(clip_id="src", persona_id="p9"),
        source=SOURCE,
        transaction_uuid="t",
    )
    assert persona["persona_id"] == "p9"


def test_timed_words_become_lines_and_lrc() -> None:
    words = [
        {"word": "[Verse]\n", "start_s": 0.0, "end_s": 0.0},
        {"word": "Rain", "start_s": 1.0, "end_s": 1.5},
        {"word": "falls\n", "start_s": 1.5, "end_s": 2.25},
        {"word": "Light", "start_s": 62.5, "end_s": 63.0},
        {"word": "stays", "start_s": 63.0, "end_s": 64.0},
        "junk",
    ]
    found = aligned_lyrics("c1", words)
    assert [w.text for w in found.words] == ["Rain", "falls", "Light", "stays"]
    assert [(line.text, line.start, line.end) for line in found.lines] == [
        ("Rain falls", 1.0, 2.25),
        ("Light stays", 62.5, 64.0),
    ]
    assert found.lrc == "[00:01.00]Rain falls\n[01:02.50]Light stays\n"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"ID3\x04\x00", "mp3"),
        (b"\xff\xfb\x90\x00", "mp3"),
        (b"\xff\xf1\x50\x80", "aac"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"fLaC\x00\x00", "flac"),
        (b"OggS\x00\x02", "ogg"),
        (b"\x00\x00\x00\x20ftypM4A ", "m4a"),
        (b"MZ\x90\x00", None),
        (b"<html>", None),
    ],
)
def test_audio_is_known_by_its_first_bytes(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


async def test_spooling_stops_at_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "audio"

    async def chunks(parts: list[bytes]) -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    assert await spool(chunks([b"fLaC", b"\x00" * 100]), path, 1000) == "flac"
    assert path.stat().st_size == 104
    with pytest.raises(InvalidRequest, match="larger than 50 bytes"):
        await spool(chunks([b"fLaC", b"\x00" * 100]), path, 50)
    with pytest.raises(InvalidRequest, match="empty"):
        await spool(chunks([]), path, 50)
