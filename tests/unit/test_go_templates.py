"""The original's Go templates, unchanged: each construct, its default suno.yaml, an edited copy, the limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rest_compat.openai.context import ChatOrder, task_context
from rest_compat.openai.go_templates import go_printf, looks_like_go, translate
from rest_compat.openai.templates import (
    BUNDLED_DIR,
    TEMPLATE_KEYS,
    ChatTemplates,
    TemplateSource,
    load_chat_templates,
)
from suno.errors import SettingsError
from suno.models import Clip, MusicRequest, Task, TaskAction, TaskStatus

ORDER = ChatOrder(model="chirp-fenix", llm_used=True)

# The original project's template/suno.yaml (Suno-API/Suno-API), as its users have it.
ORIGINAL_SUNO_YAML = """\
suno_chat_stream_submit: |
  请求成功，正在生成歌曲，请稍等片刻...
  
suno_chat_stream_tick: 🎵

suno_chat_resp: |
  ***
  {{ $first := (index .Data 0)}}
  ###🎵 歌曲名： {{ $first.Title }}
  **模型版本：** {{ $first.ModelName }}
  **歌词：**
  {{ $first.Metadata.Prompt }}
  
  {{ range $i, $v := .Data }}
  **版本ID：** {{$v.ID}}
  **音乐时长：** {{$v.Metadata.Duration}}秒
  **风格：   ** {{$v.Metadata.Tags}}
  **资源链接：**
  - 🖼 封面: ![封面]({{$v.ImageURL}})
  - 🎧 音频: [点击听歌]({{$v.AudioURL}})
  - 🎬 视频: [点击观看]({{$v.VideoURL}})
  {{ end }}
  
"""  # noqa: W293 (the original's blank lines carry indentation)

ORIGINAL_AS_JINJA = """\
suno_chat_stream_submit: |
  请求成功，正在生成歌曲，请稍等片刻...
  
suno_chat_stream_tick: 🎵

suno_chat_resp: |
  ***
  {% set first = Data[0] %}
  ###🎵 歌曲名： {{ first.Title }}
  **模型版本：** {{ first.ModelName }}
  **歌词：**
  {{ first.Metadata.Prompt }}
  
  {% for v in Data %}
  **版本ID：** {{ v.ID }}
  **音乐时长：** {{ v.Metadata.Duration }}秒
  **风格：   ** {{ v.Metadata.Tags }}
  **资源链接：**
  - 🖼 封面: ![封面]({{ v.ImageURL }})
  - 🎧 音频: [点击听歌]({{ v.AudioURL }})
  - 🎬 视频: [点击观看]({{ v.VideoURL }})
  {% endfor %}
  
"""  # noqa: W293

# A user's edit of it: status-dependent replies, printf, len, index, trim markers, comments, range-else.
EDITED_SUNO_YAML = """\
suno_chat_stream_submit: |
  {{/* shown once, when the task is accepted */ -}}
  Working on {{ .TaskID }} ({{ len .Data }} clips)...
suno_chat_stream_tick: |
  {{- if ne .Status "IN_PROGRESS" }}🎵{{ else }}{{ printf "%s: %s" .Status .status_label }}{{ end -}}
suno_chat_resp: |
  {{ if eq .Status "FAILURE" "NOT_START" -}}
  **Failed:** {{ or .FailReason "unknown" }} (task {{ .TaskID }})
  {{- else if and .Data (not .failed) }}
  {{ $n := len .Data -}}
  {{ printf "%d version(s) of %q" $n (index .Data 0).Title }}
  {{ range $i, $v := .Data -}}
  {{ $i }}. {{ $v.ID }} [{{ index $v.Metadata "Tags" }}]({{ .AudioURL }}) for {{ $.TaskID }}
  {{ else }}
  no clips
  {{ end -}}
  {{ else }}
  nothing yet
  {{ end }}
"""

EDITED_AS_JINJA = """\
suno_chat_stream_submit: |
  {#- shown once, when the task is accepted -#}
  Working on {{ TaskID }} ({{ Data|length }} clips)...
suno_chat_stream_tick: |
  {%- if Status != "IN_PROGRESS" %}🎵{% else %}{{ Status }}: {{ status_label }}{% endif -%}
suno_chat_resp: |
  {% if Status == "FAILURE" or Status == "NOT_START" -%}
  **Failed:** {{ FailReason or "unknown" }} (task {{ TaskID }})
  {%- elif Data and not failed %}
  {% set n = Data|length -%}
  {{ n }} version(s) of "{{ Data[0].Title }}"
  {% for v in Data -%}
  {{ loop.index0 }}. {{ v.ID }} [{{ v.Metadata.Tags }}]({{ v.AudioURL }}) for {{ TaskID }}
  {% else %}
  no clips
  {% endfor -%}
  {% else %}
  nothing yet
  {% endif %}
"""


def clip(clip_id: str, status: str) -> Clip:
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
                "prompt": "[Verse]\nCity lights & 'rain'",
                "duration": 183.5 if done else None,
            },
        }
    )


def song(status: TaskStatus, clip_status: str, fail_reason: str = "", clips: int = 2) -> Task:
    return Task(
        id="task-1",
        action=TaskAction.MUSIC,
        status=status,
        request=MusicRequest(prompt="[Verse]\nCity lights", title="Midnight Drive", tags="synthwave"),
        clips=tuple(clip(f"clip-{n}", clip_status) for n in range(clips)),
        fail_reason=fail_reason,
    )


def contexts() -> dict[str, dict[str, Any]]:
    queued = song(TaskStatus.QUEUED, "queued")
    streaming = song(TaskStatus.IN_PROGRESS, "streaming")
    return {
        "queued": task_context(queued, ORDER),
        "streaming": task_context(streaming, ORDER, previous=queued),
        "success": task_context(song(TaskStatus.SUCCESS, "complete"), ORDER, previous=streaming),
        "failure": task_context(
            song(TaskStatus.FAILURE, "error", "lyrics rejected"), ORDER, previous=streaming
        ),
        "no clips": task_context(song(TaskStatus.SUCCESS, "complete", clips=0), ORDER),
    }


def render(go: str, context: dict[str, Any] | None = None) -> str:
    """One Go template rendered as the chat door renders it, errors raised rather than replaced."""
    sources = {key: TemplateSource(key, "-", "bundled") for key in TEMPLATE_KEYS}
    sources["chat_resp"] = TemplateSource("chat_resp", go, "chat_resp.tmpl")
    templates = ChatTemplates(sources)
    assert templates.sources["chat_resp"].go
    return templates.templates["chat_resp"].render(context or contexts()["success"])


def load_error(tmp_path: Path, go: str) -> str:
    (tmp_path / "chat_resp.tmpl").write_text(go, encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_chat_templates(str(tmp_path))
    return str(raised.value)


# -- the original's defaults and an edited copy render what their Jinja equivalents render --------------


@pytest.mark.parametrize(
    ("go", "jinja"), [(ORIGINAL_SUNO_YAML, ORIGINAL_AS_JINJA), (EDITED_SUNO_YAML, EDITED_AS_JINJA)]
)
def test_a_go_suno_yaml_renders_the_same_replies_as_its_jinja_equivalent(
    tmp_path: Path, go: str, jinja: str
) -> None:
    (tmp_path / "go").mkdir()
    (tmp_path / "go" / "suno.yaml").write_text(go, encoding="utf-8")
    (tmp_path / "jinja").mkdir()
    (tmp_path / "jinja" / "suno.yaml").write_text(jinja, encoding="utf-8")
    from_go = load_chat_templates(str(tmp_path / "go"))
    from_jinja = load_chat_templates(str(tmp_path / "jinja"))
    assert all(from_go.sources[key].go for key in TEMPLATE_KEYS if "{{" in from_go.sources[key].text)
    for name, context in contexts().items():
        for key in TEMPLATE_KEYS:
            assert from_go.render(key, context) == from_jinja.render(key, context), (name, key)


def test_the_originals_default_reply_lists_every_clip_with_its_links(tmp_path: Path) -> None:
    (tmp_path / "suno.yaml").write_text(ORIGINAL_SUNO_YAML, encoding="utf-8")
    templates = load_chat_templates(str(tmp_path))
    reply = templates.render("chat_resp", contexts()["success"])
    assert reply.startswith("***\n###🎵 歌曲名： Midnight Drive\n**模型版本：** chirp-fenix\n")
    assert "City lights & 'rain'" in reply  # not HTML-escaped, unlike the original
    for clip_id in ("clip-0", "clip-1"):
        assert f"**版本ID：** {clip_id}\n**音乐时长：** 183.5秒\n" in reply
        assert f"[点击听歌](https://cdn1.suno.ai/{clip_id}.mp3)" in reply
    assert (
        templates.render("chat_stream_submit", contexts()["queued"])
        == "请求成功，正在生成歌曲，请稍等片刻...\n"
    )
    assert templates.render("chat_stream_tick", contexts()["streaming"]) == "🎵"


def test_the_edited_copy_says_what_each_task_state_means(tmp_path: Path) -> None:
    (tmp_path / "suno.yaml").write_text(EDITED_SUNO_YAML, encoding="utf-8")
    templates = load_chat_templates(str(tmp_path))
    every = contexts()
    assert templates.render("chat_stream_submit", every["queued"]) == "Working on task-1 (2 clips)...\n"
    assert templates.render("chat_stream_tick", every["queued"]) == "🎵"
    assert templates.render("chat_stream_tick", every["streaming"]) == "IN_PROGRESS: Generating"
    assert "**Failed:** lyrics rejected (task task-1)" in templates.render("chat_resp", every["failure"])
    reply = templates.render("chat_resp", every["success"])
    assert '2 version(s) of "Midnight Drive"' in reply
    assert "1. clip-1 [synthwave, female vocals](https://cdn1.suno.ai/clip-1.mp3) for task-1" in reply
    assert templates.render("chat_resp", every["no clips"]).strip() == "nothing yet"


# -- each construct ---------------------------------------------------------------------------------


def test_fields_nested_fields_and_fields_of_a_parenthesised_value() -> None:
    assert render("{{.TaskID}} {{ .Status }}") == "task-1 SUCCESS"
    assert render("{{ (index .Data 1).Metadata.Tags }}") == "synthwave, female vocals"
    assert render("{{ .Nope }}|") == "|"  # a missing field prints nothing, as a missing Jinja name


def test_range_makes_dot_the_item_and_declares_index_and_item() -> None:
    assert render("{{range .Data}}{{.ID}},{{end}}") == "clip-0,clip-1,"
    assert render("{{range $i, $c := .Data}}{{$i}}={{$c.ID}} {{end}}") == "0=clip-0 1=clip-1 "
    assert (
        render("{{range $c := .Data}}{{$c.Title}}/{{.ID}} {{end}}")
        == "Midnight Drive/clip-0 Midnight Drive/clip-1 "
    )
    assert render("{{range .Data}}{{$.TaskID}}:{{.ID}} {{end}}") == "task-1:clip-0 task-1:clip-1 "
    empty = contexts()["no clips"]
    assert render("{{range .Data}}x{{else}}none, {{.TaskID}}{{end}}", empty) == "none, task-1"
    assert render('{{range $k, $v := (index .Data 0).Metadata}}{{if eq $k "Tags"}}{{$v}}{{end}}{{end}}') == (
        "synthwave, female vocals"
    )


def test_nested_ranges_each_have_their_own_dot() -> None:
    go = "{{range .Data}}{{$id := .ID}}{{range $.Data}}{{$id}}>{{.ID}} {{end}}{{end}}"
    assert render(go) == "clip-0>clip-0 clip-0>clip-1 clip-1>clip-0 clip-1>clip-1 "


def test_if_else_if_else_and_the_comparisons() -> None:
    go = '{{if eq .Status "FAILURE"}}failed{{else if and .succeeded (gt (len .Data) 1)}}many{{else}}other{{end}}'
    assert render(go) == "many"
    assert render(go, contexts()["failure"]) == "failed"
    assert render(go, contexts()["no clips"]) == "other"
    assert render("{{if not .failed}}ok{{end}}{{if or .failed .done}}!{{end}}") == "ok!"
    assert render(
        '{{if ne .Status "X"}}a{{end}}{{if lt 1 2}}b{{end}}{{if le 2 2}}c{{end}}{{if ge 1 2}}d{{end}}'
    ) == ("abc")
    assert render('{{if eq .Status "QUEUED" "SUCCESS"}}either{{end}}') == "either"
    assert render('{{ and .TaskID .Status }} {{ or .FailReason "none" }}') == "SUCCESS none"


def test_variables() -> None:
    assert render("{{ $x := .title }}{{ $x }}!") == "Midnight Drive!"
    assert render("{{ $first := index .Data 0 }}{{ $first.ID }}") == "clip-0"


def test_printf_and_print() -> None:
    assert render('{{ printf "%s has %d clips" .title (len .Data) }}') == "Midnight Drive has 2 clips"
    assert render('{{ printf "%.1f|%5s|%-5s|%q|%v|%t|%%|%03d" 3.14159 "ab" "cd" "e" true false 7 }}') == (
        '3.1|   ab|cd   |"e"|true|false|%|007'
    )
    assert render('{{ printf "%v" (index .Data 0).Metadata.Duration }}') == "183.5"
    assert go_printf("%d %s", 1) == "1 %!s(MISSING)"
    assert go_printf("%d", "x") == "%!d(str=x)"
    assert go_printf("%v", 184.0) == "184"
    assert render('{{ print "a" 1 2 "b" }}') == "a1 2b"


def test_index_of_maps_and_lists_and_len() -> None:
    assert render('{{ index (index .Data 0).Metadata "Tags" }}') == "synthwave, female vocals"
    assert render('{{ (index .Data 1).ID }} {{ index .Data 0 "ID" }} {{ len .Data }} {{ len "abc" }}') == (
        "clip-1 clip-0 2 3"
    )


def test_trim_markers_and_comments() -> None:
    assert render("a  {{- .TaskID -}}  b") == "atask-1b"
    assert render("a\n\n  {{- /* note */ -}}\n\nb") == "ab"
    assert render("a{{/* a comment\nover lines */}}b") == "ab"
    assert render("{{ .TaskID }}{{-3}}") == "task-1-3"  # a number, not a trim marker


def test_pipes_to_functions_and_the_escapers() -> None:
    assert render('{{ .title | printf "%q" }}') == '"Midnight Drive"'
    assert (
        render('{{ $s := "a&b <c> \'d\' \\"e\\"" }}{{ $s | html }}')
        == "a&amp;b &lt;c&gt; &#39;d&#39; &#34;e&#34;"
    )
    assert render('{{ $s := "a b&c" }}{{ $s | urlquery }}') == "a+b%26c"
    assert render('{{ "it\'s <b>" | js }}') == "it\\'s \\u003Cb\\u003E"
    assert render('{{ .Data | len | printf "%d clips" }}') == "2 clips"


def test_strings_and_literal_text_that_look_like_template_syntax_stay_literal() -> None:
    assert render('{{ printf "}} {%% x %%}" }} {% raw %} {# no #} {') == "}} {% x %} {% raw %} {# no #} {"
    assert render("{{/* go */}}{{ `raw {{ string }}` }}") == "raw {{ string }}"
    assert render('{{/* go */}}{{ "tab\\tand\\u00e9" }}') == "tab\tandé"


def test_the_translation_keeps_every_line_where_it_was() -> None:
    go = "one\n  {{- if .TaskID -}}\n\n  two {{ .TaskID }}\n{{ end }}\n{{/* x\ny */}}\nthree {{ .Status }}\n"
    jinja = translate(go)
    assert jinja.count("\n") == go.count("\n")
    assert jinja.splitlines()[-1] == "three {{ Status }}"


def test_a_go_template_failing_to_render_is_reported_at_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "chat_resp.tmpl").write_text("ok\n  {{- .TaskID -}}\n\n{{ .Nope.Deeper }}\n")
    with pytest.raises(SettingsError, match=r"chat_resp\.tmpl line 4 \(chat_resp\) fails to render"):
        load_chat_templates(str(tmp_path))


def test_jinja_templates_are_not_taken_for_go() -> None:
    for path in sorted(BUNDLED_DIR.iterdir()):
        assert not looks_like_go(path.read_text(encoding="utf-8")), path
    assert not looks_like_go("{{ Data[0].title }} {{ v.ID }} {{ range(3)|list }} {{ not done }} {{ 0.5 }}")
    assert not looks_like_go("{{ index }} {{ len }} {{ print(x) }} {{ x | e }} {{ len + 1 }}")
    assert (
        looks_like_go('{{ printf "%d" 3 }}') and looks_like_go("{{ eq .A 1 }}") and looks_like_go("{{end}}")
    )


# -- outside the subset: start-up stops with the file, the line and the construct -------------------


@pytest.mark.parametrize(
    ("go", "construct", "problem"),
    [
        ('{{ template "x" }}', '{{ template "x" }}', "not supported"),
        ('{{ block "x" . }}y{{ end }}', '{{ block "x" . }}', "not supported"),
        ("{{ with .Data }}y{{ end }}", "{{ with .Data }}", "not supported"),
        ('{{ define "x" }}y{{ end }}', '{{ define "x" }}', "not supported"),
        ("{{ $x := 1 }}{{ $x = 2 }}", "{{ $x = 2 }}", "existing variable"),
        ("{{ $nope.ID }}", "{{ $nope.ID }}", "undefined variable $nope"),
        ("{{ . }}", "{{ . }}", "whole context"),
        ("{{ slice .Data 1 }}", "{{ slice .Data 1 }}", "slice is not supported"),
        ("{{ upper .title }}", "{{ upper .title }}", "not a function"),
        ("{{ if .Data }}open", "{{if}}", "no {{end}}"),
        ("{{ end }}", "{{ end }}", "without"),
        ("{{ .title", "{{ .title", "unclosed action"),
        ("{{ eq .title }}", "{{ eq .title }}", "at least 2"),
    ],
)
def test_an_unsupported_construct_stops_start_up_with_file_line_and_construct(
    tmp_path: Path, go: str, construct: str, problem: str
) -> None:
    message = load_error(tmp_path, "line one\n\n" + go + "\n")
    assert f"{tmp_path / 'chat_resp.tmpl'} line 3 (chat_resp)" in message
    assert construct in message and problem in message


def test_mixing_jinja_and_go_is_explained(tmp_path: Path) -> None:
    message = load_error(tmp_path, "{% for v in Data %}\n{{ $v.ID }}\n{% endfor %}\n")
    assert "line 2" in message and "undefined variable $v" in message and "mixed" in message
