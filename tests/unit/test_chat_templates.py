"""The chat templates: bundled defaults, a custom directory, the original's suno.yaml, and start-up errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from rest_compat.openai.context import ChatOrder, task_context
from rest_compat.openai.templates import BUNDLED_DIR, load_chat_templates
from suno.errors import SettingsError
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus

ORDER = ChatOrder(model="chirp-fenix", llm_used=True)


def clip(clip_id: str, status: str = "complete") -> Clip:
    done = status == "complete"
    return Clip.from_upstream(
        {
            "id": clip_id,
            "status": status,
            "title": "Midnight Drive",
            "audio_url": f"https://cdn1.suno.ai/{clip_id}.mp3" if done else None,
            "video_url": f"https://cdn1.suno.ai/{clip_id}.mp4" if done else "",
            "image_url": f"https://cdn2.suno.ai/image_{clip_id}.jpeg",
            "model_name": "chirp-fenix",
            "metadata": {
                "tags": "synthwave, female vocals",
                "prompt": "[Verse]\nCity lights & rain",
                "duration": 183.5 if done else None,
                "error_message": "lyrics rejected" if status == "error" else None,
            },
        }
    )


def song(status: TaskStatus, clip_status: str = "complete", fail_reason: str = "") -> Task:
    return Task(
        id="task-1",
        action=TaskAction.MUSIC,
        status=status,
        request=MusicRequest(prompt="[Verse]\nCity lights & rain", title="Midnight Drive", tags="synthwave"),
        clips=(clip("clip-a", clip_status), clip("clip-b", clip_status)),
        fail_reason=fail_reason,
    )


def test_default_reply_shows_title_model_lyrics_and_each_clips_links() -> None:
    reply = load_chat_templates(str(BUNDLED_DIR)).render(
        "chat_resp", task_context(song(TaskStatus.SUCCESS), ORDER)
    )
    assert "### 🎵 Midnight Drive" in reply and "**Model:** chirp-fenix" in reply
    assert "City lights & rain" in reply  # not HTML-escaped, unlike the original
    for clip_id in ("clip-a", "clip-b"):
        assert f"ID: `{clip_id}`" in reply
        assert f"[listen](https://cdn1.suno.ai/{clip_id}.mp3)" in reply
        assert f"[watch](https://cdn1.suno.ai/{clip_id}.mp4)" in reply
        assert f"![cover](https://cdn2.suno.ai/image_{clip_id}.jpeg)" in reply
    assert "**Duration:** 3:04" in reply and "**Style:** synthwave, female vocals" in reply


def test_default_reply_for_a_failed_task_says_why_and_names_the_task() -> None:
    failed = song(TaskStatus.FAILURE, "error", "lyrics rejected")
    reply = load_chat_templates(str(BUNDLED_DIR)).render("chat_resp", task_context(failed, ORDER))
    assert "could not be made" in reply and "lyrics rejected" in reply and "task-1" in reply
    assert "[listen]" not in reply


def test_default_progress_templates_mention_a_missing_llm_and_status_changes() -> None:
    templates = load_chat_templates(str(BUNDLED_DIR))
    queued = song(TaskStatus.QUEUED, "queued")
    without_llm = task_context(queued, ChatOrder(model="chirp-fenix", llm_used=False))
    assert "No songwriting LLM" in templates.render("chat_stream_submit", without_llm)
    assert "No songwriting LLM" not in templates.render("chat_stream_submit", task_context(queued, ORDER))
    submitted = song(TaskStatus.SUBMITTED, "submitted")
    assert "Queued" in templates.render("chat_stream_tick", task_context(queued, ORDER, previous=submitted))
    assert templates.render("chat_stream_tick", task_context(queued, ORDER, previous=queued)) == "🎵"


def test_a_custom_directory_overrides_some_templates_and_the_defaults_fill_the_rest(tmp_path: Path) -> None:
    (tmp_path / "chat_resp.j2").write_text("{{ title }}: {% for c in clips %}{{ c.audio_url }} {% endfor %}")
    templates = load_chat_templates(str(tmp_path))
    context = task_context(song(TaskStatus.SUCCESS), ORDER)
    assert templates.render("chat_resp", context) == (
        "Midnight Drive: https://cdn1.suno.ai/clip-a.mp3 https://cdn1.suno.ai/clip-b.mp3 "
    )
    assert "task-1" in templates.render("chat_stream_submit", context)


def test_a_migrated_suno_yaml_with_the_originals_keys_and_names_works(tmp_path: Path) -> None:
    (tmp_path / "suno.yaml").write_text(
        "suno_chat_stream_submit: |\n"
        "  Working on {{ TaskID }}...\n"
        "suno_chat_stream_tick: 🎵\n"
        "suno_chat_resp: |\n"
        "  ***\n"
        "  {% set first = Data[0] %}\n"
        "  ### {{ first.Title }} ({{ first.ModelName }})\n"
        "  {% for v in Data %}\n"
        "  - {{ v.ID }} {{ v.Metadata.Duration }}s {{ v.Metadata.Tags }} [audio]({{ v.AudioURL }})\n"
        "  {% endfor %}\n"
        "chat_unused: ignored\n",
        encoding="utf-8",
    )
    templates = load_chat_templates(str(tmp_path))
    context = task_context(song(TaskStatus.SUCCESS), ORDER)
    assert templates.render("chat_stream_submit", context) == "Working on task-1...\n"
    assert templates.render("chat_stream_tick", context) == "🎵"
    reply = templates.render("chat_resp", context)
    assert "### Midnight Drive (chirp-fenix)" in reply
    assert "- clip-a 183.5s synthwave, female vocals [audio](https://cdn1.suno.ai/clip-a.mp3)" in reply


def test_a_template_that_does_not_compile_fails_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "chat_resp.j2").write_text("line one\nline two\n{% for clip in clips %}\n{{ clip.id }}\n")
    with pytest.raises(SettingsError) as raised:
        load_chat_templates(str(tmp_path))
    message = str(raised.value)
    assert f"{tmp_path / 'chat_resp.j2'} line" in message and "chat_resp" in message
    assert "endfor" in message


def test_a_broken_template_inside_suno_yaml_is_reported_at_its_line_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "suno.yaml").write_text(
        "chat_stream_tick: ok\nchat_resp: |\n  fine\n  {{ title | no_such_filter }}\n", encoding="utf-8"
    )
    with pytest.raises(SettingsError, match=r"suno\.yaml line 4 \(chat_resp\).*no_such_filter"):
        load_chat_templates(str(tmp_path))


def test_a_go_template_outside_the_supported_subset_fails_with_its_file_line_and_construct(
    tmp_path: Path,
) -> None:
    (tmp_path / "suno.yaml").write_text(
        'suno_chat_resp: |\n  {{ range $i, $v := .Data }}{{ $v.ID }}{{ end }}\n  {{ template "x" }}\n'
    )
    with pytest.raises(SettingsError) as raised:
        load_chat_templates(str(tmp_path))
    message = str(raised.value)
    assert f"{tmp_path / 'suno.yaml'} line 3 (chat_resp)" in message
    assert '{{ template "x" }}' in message and "not supported" in message


def test_a_template_that_fails_when_rendered_fails_at_load_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "chat_stream_tick.j2").write_text("ok\n{{ clips[0].title.nope() }}\n")
    with pytest.raises(
        SettingsError, match=r"chat_stream_tick\.j2 line 2 \(chat_stream_tick\) fails to render"
    ):
        load_chat_templates(str(tmp_path))


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "suno.yaml").write_text("chat_resp: |\n  ok\n bad: [\n")
    with pytest.raises(SettingsError, match=r"suno\.yaml line \d+ is not valid YAML"):
        load_chat_templates(str(tmp_path))


def test_a_template_directory_that_does_not_exist_fails_unless_it_is_the_default(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="is not a directory"):
        load_chat_templates(str(tmp_path / "missing"))
    # The default "./templates" is relative to where sunoql starts; elsewhere the bundled copy serves.
    assert load_chat_templates("./templates").sources["chat_resp"].path.startswith(str(BUNDLED_DIR))


def test_a_template_failing_on_an_unusual_task_falls_back_to_plain_links(tmp_path: Path) -> None:
    (tmp_path / "chat_resp.j2").write_text("{{ Data[0].Title }} {{ Data[0].AudioURL }}")
    templates = load_chat_templates(str(tmp_path))
    no_clips = Task(
        id="t",
        action=TaskAction.MUSIC,
        status=TaskStatus.FAILURE,
        request=MusicRequest(),
        fail_reason="timeout",
    )
    reply = templates.render("chat_resp", task_context(no_clips, ORDER))
    assert "FAILURE" in reply and "timeout" in reply


def test_a_finished_reply_without_a_video_does_not_promise_one() -> None:
    finished = song(TaskStatus.SUCCESS)
    no_video = [Clip.from_upstream({**c.raw, "video_url": ""}) for c in finished.clips]
    task = Task(
        id=finished.id,
        action=finished.action,
        status=finished.status,
        request=finished.request,
        clips=tuple(no_video),
    )
    reply = load_chat_templates(str(BUNDLED_DIR)).render("chat_resp", task_context(task, ORDER))
    assert "not ready yet" not in reply and "Video" not in reply
    assert "[listen]" in reply
