"""The README's curl and Python examples, run as written against a served sunoql on the simulator.

Each shell block with a `curl` (and each inline `curl …` code span) runs through bash, each Python block
as a script; only the host, the port and the example task ids are substituted (the served app's
SECRET_TOKEN is the README's `your_secret_token`). A reply is compared with what the README says next to
it: a `# {...}` comment on the same line, or the JSON block that follows. A block that cannot run as
written is marked `<!-- readme: fragment -->` just above it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from suno.config import Settings
from tests.support.app import RunningApp, running_app

README = Path(__file__).resolve().parents[2] / "README.md"
TOKEN = "your_secret_token"
EXAMPLE_MUSIC_ID = "3f2a1b4c-8e7d-4f9a-bc12-d3e4f5a6b7c8"
EXAMPLE_OTHER_ID = "9a8b7c6d-5e4f-3a2b-1c0d-ef1234567890"
# The operations' examples name this clip: the first song an example made, once it is finished.
EXAMPLE_CLIP_ID = "4b2f8a1c-0e3d-4c5b-9a7f-6d1e2c3b4a59"
FRAGMENT_MARK = "<!-- readme: fragment -->"
STATUS_MARK = "__readme_http_status__"
RUN_SECONDS = 120.0
FENCE = re.compile(r"^```(\w*)\s*$")
INLINE_CURL = re.compile(r"`(curl [^`]+)`")


@dataclass
class Example:
    line: int  # 1-based line of the README where the example starts
    language: str  # "sh" or "python"
    code: str
    expected_json: Any = None  # the JSON block right after it, if any


@dataclass
class Ids:
    """Task ids the examples created, to stand in for the README's example ids."""

    music: list[str] = field(default_factory=list)
    lyrics: list[str] = field(default_factory=list)
    graphql_music: list[str] = field(default_factory=list)  # songs a GraphQL example started
    clip: str | None = None  # a finished clip of the first song, for EXAMPLE_CLIP_ID


def readme_examples(text: str) -> list[Example]:
    """The runnable examples in README order: curl blocks, inline curl spans, Python blocks."""
    lines = text.splitlines()
    blocks: list[tuple[int, str, str, bool]] = []  # (line, language, code, marked as fragment)
    inline: list[Example] = []
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            inline.extend(Example(index + 1, "sh", span) for span in INLINE_CURL.findall(lines[index]))
            index += 1
            continue
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines) and not lines[index].startswith("```"):
            body.append(lines[index])
            index += 1
        index += 1
        marked = any(FRAGMENT_MARK in previous for previous in lines[max(start - 2, 0) : start])
        blocks.append((start + 1, fence.group(1), "\n".join(body), marked))
    examples = list(inline)
    for position, (line, language, code, marked) in enumerate(blocks):
        if marked:
            continue
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        expected = None
        if following and following[1] == "json" and _adjacent(lines, line, code, following[0]):
            expected = json.loads(following[2])
        if language in {"sh", "bash"} and re.search(r"^\s*curl ", code, re.M):
            examples.append(Example(line, "sh", code, expected))
        elif language == "python":
            examples.append(Example(line, "python", code, expected))
    return sorted(examples, key=lambda example: example.line)


def _adjacent(lines: list[str], line: int, code: str, next_line: int) -> bool:
    """True when only blank lines stand between a block's closing fence and the next block."""
    end = line + code.count("\n") + 2  # the closing fence's 1-based line
    return all(not text.strip() for text in lines[end : next_line - 1])


def shell_commands(code: str) -> list[str]:
    """One string per command, with backslash-continued lines joined (quoted newlines kept)."""
    commands: list[str] = []
    current = ""
    for raw in code.splitlines():
        current += raw
        if current.rstrip().endswith("\\"):
            current = current.rstrip()[:-1] + " "
            continue
        if _open_quote(current):
            current += "\n"
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            commands.append(current)
        current = ""
    return commands


def _open_quote(command: str) -> bool:
    return command.count("'") % 2 == 1


def inline_comment(command: str) -> str | None:
    """The `# …` comment after a command, outside quotes."""
    quoted = False
    for position, char in enumerate(command):
        if char == "'":
            quoted = not quoted
        elif char == "#" and not quoted and position and command[position - 1].isspace():
            return command[position + 1 :].strip()
    return None


def substituted(code: str, served: RunningApp, ids: Ids) -> str:
    simulator = (served.runtime.simulator_url or "").removeprefix("http://")
    code = code.replace("http://localhost:8000", served.base_url).replace(
        "ws://localhost:8000", served.ws_url
    )
    code = code.replace("localhost:8300", simulator)
    if music := ids.music or ids.graphql_music:
        code = code.replace(EXAMPLE_MUSIC_ID, music[0])
    if ids.lyrics or len(ids.music) > 1:
        code = code.replace(EXAMPLE_OTHER_ID, (ids.lyrics or ids.music[1:])[0])
    if ids.clip:
        code = code.replace(EXAMPLE_CLIP_ID, ids.clip)
    return code


async def finished_clip(served: RunningApp, ids: Ids) -> None:
    """Find EXAMPLE_CLIP_ID's stand-in: a clip of the first song the examples made, once it is finished."""
    if ids.clip is not None or not (ids.music or ids.graphql_music):
        return
    async for task in served.runtime.service.watch((ids.music or ids.graphql_music)[0]):
        if task.is_terminal and task.clips:
            ids.clip = task.clips[0].id


async def run(argv: list[str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env={**os.environ}
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), RUN_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
        return -1, "", f"still running after {RUN_SECONDS:.0f} s"
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def same_shape(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where `actual` differs from the README's JSON: missing keys, other types, another code/message."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r:.80}"]
        problems = []
        for key, value in expected.items():
            if key == "…" or value == "…":
                continue
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            elif key in {"code", "message"} and not isinstance(value, dict | list):
                if actual[key] != value:
                    problems.append(f"{path}.{key}: README says {value!r}, got {actual[key]!r}")
            else:
                problems.extend(same_shape(value, actual[key], f"{path}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {actual!r:.80}"]
        if expected and actual:
            return same_shape(expected[0], actual[0], f"{path}[0]")
        return []
    if expected is None or (isinstance(expected, str) and expected in {"…", ""}):
        return []
    if isinstance(expected, bool) != isinstance(actual, bool) or not isinstance(actual, type(expected)):
        if isinstance(expected, int | float) and isinstance(actual, int | float):
            return []
        return [f"{path}: README shows {type(expected).__name__}, got {actual!r:.80}"]
    return []


async def run_shell_example(example: Example, served: RunningApp, ids: Ids) -> list[str]:
    problems = []
    if EXAMPLE_CLIP_ID in example.code:
        await finished_clip(served, ids)
    for command in shell_commands(example.code):
        written = substituted(command, served, ids)
        measured = re.sub(
            r"^\s*curl ", f"curl -sS --max-time 100 -w '\\n{STATUS_MARK}%{{http_code}}' ", written, count=1
        )
        code, out, err = await run(["bash", "-c", measured])
        body, _, status = out.rpartition(f"\n{STATUS_MARK}")
        where = f"README line {example.line}: {command.strip()[:90]}"
        if code != 0 or not status.isdigit() or int(status) >= 400:
            problems.append(f"{where}: exit {code}, HTTP {status or '?'}: {(body or err)[:300]}")
            continue
        comment = inline_comment(command)
        expected = example.expected_json
        if comment and comment.startswith("{"):
            expected = json.loads(comment)
        if "text/event-stream" in command:
            problems.extend(f"{where}: {problem}" for problem in sse_problems(body))
            continue
        try:
            reply = json.loads(body)
        except ValueError:
            if expected is not None:
                problems.append(f"{where}: README shows JSON, got {body[:200]!r}")
            continue
        remember_ids(command, reply, ids)
        if expected is not None:
            problems.extend(f"{where}: {problem}" for problem in same_shape(expected, reply))
    return problems


def sse_problems(body: str) -> list[str]:
    """A subscription streamed over SSE must deliver results without errors and then complete."""
    events = re.findall(r"^event: (\w+)\r?$", body, re.M)
    if "next" not in events or events[-1:] != ["complete"]:
        return [f"the SSE stream did not deliver results and complete: {body[:300]!r}"]
    return [f"the SSE stream carried errors: {body[:300]!r}"] if '"errors"' in body else []


def remember_ids(command: str, reply: Any, ids: Ids) -> None:
    if not isinstance(reply, dict):
        return
    data = reply.get("data")
    if isinstance(data, dict) and isinstance(data.get("generateMusic"), dict):
        ids.graphql_music.append(data["generateMusic"]["id"])
    if not isinstance(data, str):
        return
    if "/suno/submit/music" in command:
        ids.music.append(reply["data"])
    elif "/suno/submit/lyrics" in command:
        ids.lyrics.append(reply["data"])


async def run_python_example(example: Example, served: RunningApp, ids: Ids, folder: Path) -> list[str]:
    script = folder / f"readme_line_{example.line}.py"
    script.write_text(substituted(example.code, served, ids))
    code, out, err = await run([sys.executable, str(script)])
    if code != 0:
        return [f"README line {example.line} (python): exit {code}: {(err or out)[-600:]}"]
    if not out.strip():
        return [f"README line {example.line} (python): printed nothing"]
    return []


def test_the_readme_has_examples_to_run() -> None:
    examples = readme_examples(README.read_text())
    assert sum(example.language == "sh" for example in examples) >= 8
    assert sum(example.language == "python" for example in examples) >= 2


def test_a_reply_missing_a_field_the_readme_shows_is_a_difference() -> None:
    readme = {"code": 200, "message": "success", "data": {"credits_left": 450, "msg": ""}}
    assert (
        same_shape(readme, {"code": 200, "message": "success", "data": {"credits_left": 3, "msg": "x"}}) == []
    )
    assert same_shape(readme, {"code": 200, "message": "success", "data": {"msg": ""}}) == [
        "$.data.credits_left: missing"
    ]
    assert same_shape(readme, {"code": 400, "message": "success", "data": {"credits_left": 1, "msg": ""}})


def test_continued_lines_and_quoted_newlines_make_one_command() -> None:
    code = (
        'curl -X POST http://h \\\n  -d \'{\n  "a": 1}\'\n# note\ncurl http://h/ping   # {"message":"pong"}'
    )
    commands = shell_commands(code)
    assert len(commands) == 2 and '"a": 1}\'' in commands[0]
    assert inline_comment(commands[1]) == '{"message":"pong"}'


def test_an_sse_example_must_deliver_results_and_complete_without_errors() -> None:
    good = 'event: next\r\ndata: {"data":{"x":1}}\r\n\r\nevent: complete\r\ndata: \r\n\r\n'
    assert sse_problems(good) == []
    assert sse_problems(good.replace('{"x":1}}', '{"x":1},"errors":[{}]}'))
    assert sse_problems("event: complete\r\ndata: \r\n\r\n")
    assert sse_problems('event: next\r\ndata: {"data":{"x":1}}\r\n\r\n')


@pytest.mark.slow
async def test_every_readme_example_runs_as_written(settings: Settings, tmp_path: Path) -> None:
    examples = readme_examples(README.read_text())
    served_settings = settings.with_overrides(secret_token=TOKEN, simulator_speed=100.0, chat_time_out=60)
    ids = Ids()
    problems: list[str] = []
    async with running_app(served_settings) as served:
        for example in examples:
            if example.language == "sh":
                problems.extend(await run_shell_example(example, served, ids))
            else:
                problems.extend(await run_python_example(example, served, ids, tmp_path))
    assert problems == []
