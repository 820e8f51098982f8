"""Every curl example of the README's REST section works as written against the served app (ids swapped for real ones)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import httpx

from suno.config import Settings
from tests.support.app import running_app

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## The original REST API"
PLACEHOLDER_IDS = ("3f2a1b4c-8e7d-4f9a-bc12-d3e4f5a6b7c8", "9a8b7c6d-5e4f-3a2b-1c0d-ef1234567890")


def curl_commands(markdown: str) -> list[list[str]]:
    """The curl commands of the ```bash blocks (a command runs until the next one; comments dropped)."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", markdown, flags=re.S):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        for chunk in re.split(r"(?m)^(?=curl )", "\n".join(lines)):
            if chunk.startswith("curl "):
                commands.append(shlex.split(chunk.replace("\\\n", " ")))
    return commands


def as_request(argv: list[str], base_url: str) -> tuple[str, str, dict[str, str], str | None]:
    method, url, headers, data = "GET", "", {}, None
    args = iter(argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            data = next(args)
        else:
            url = arg
    return method, url.replace("http://localhost:8000", base_url), headers, data


async def test_every_curl_example_in_the_rest_docs_succeeds(settings: Settings) -> None:
    text = README.read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", 1)]  # up to the next top-level section
    commands = curl_commands(section)
    assert len(commands) >= 7
    async with (
        running_app(settings.with_overrides(secret_token="your_secret_token")) as served,
        httpx.AsyncClient(timeout=60) as client,
    ):
        made: list[str] = []
        for argv in commands:
            method, url, headers, data = as_request(argv, served.base_url)
            for placeholder, real in zip(PLACEHOLDER_IDS, made, strict=False):
                url = url.replace(placeholder, real)
                data = data.replace(placeholder, real) if data else data
            reply = await client.request(method, url, headers=headers, content=data)
            assert reply.status_code == 200, (argv, reply.text)
            body = reply.json()
            assert body["code"] == 200 and body["message"] == "success", (argv, body)
            if "/suno/submit/" in url:
                made.append(body["data"])
            if url.endswith("/suno/fetch"):
                assert {item["task_id"] for item in body["data"]} == set(made[:2])
