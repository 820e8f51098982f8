"""The logging set-up: JSON lines with request ids, daily files, every configured secret redacted."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from ops.log_setup import DailyFileHandler, LoggingSetup, configure_logging, request_id
from suno.config import LogFormat, Settings

ROOT = Path(__file__).resolve().parents[2]
COOKIE = "__client=eyJhbGciOiJSUzI1NiJ9.eyJpZCI6ImNsaWVudF8xMjMifQ.c2lnbmF0dXJlLWJ5dGVz; __cf_bm=abcdefghijkl"
SETTINGS = Settings(
    cookie=COOKIE,
    session_id="sess_2abcdefghijklmnop",
    secret_token="the-server-secret-token",
    chat_openai_key="sk-the-llm-key-0123456789",
    log_format=LogFormat.JSON,
)


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, LoggingSetup]]:
    stream = io.StringIO()
    setup = configure_logging(SETTINGS, stream=stream)
    try:
        yield stream, setup
    finally:
        setup.close()


def lines_of(stream: io.StringIO, setup: LoggingSetup) -> list[dict[str, object]]:
    setup.close()  # stops the listener thread, so every queued line is written
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_parse_and_carry_the_request_id(captured: tuple[io.StringIO, LoggingSetup]) -> None:
    stream, setup = captured
    token = request_id.set("req-42")
    try:
        logging.getLogger("sunoql.test").info("submitted %s", "task-1", extra={"task_id": "task-1"})
    finally:
        request_id.reset(token)
    logging.getLogger("sunoql.test").warning("outside any request")
    first, second = lines_of(stream, setup)
    assert first["message"] == "submitted task-1" and first["request_id"] == "req-42"
    assert first["level"] == "INFO" and first["logger"] == "sunoql.test" and first["task_id"] == "task-1"
    assert "request_id" not in second and second["level"] == "WARNING"


def test_every_configured_secret_is_redacted_from_messages_arguments_and_tracebacks(
    captured: tuple[io.StringIO, LoggingSetup],
) -> None:
    stream, setup = captured
    log = logging.getLogger("sunoql.test")
    log.info("cookie is %s", COOKIE)
    log.info(
        "session %s token %s key %s", SETTINGS.session_id, SETTINGS.secret_token, SETTINGS.chat_openai_key
    )
    try:
        raise ValueError(f"bad key {SETTINGS.chat_openai_key}")
    except ValueError:
        log.exception("failed with Authorization: Bearer %s", "some-opaque-bearer-value")
    lines = lines_of(stream, setup)
    text = json.dumps(lines)
    for secret in (
        "eyJhbGciOiJSUzI1NiJ9",
        SETTINGS.session_id,
        SETTINGS.secret_token,
        SETTINGS.chat_openai_key,
    ):
        assert secret not in text
    assert "some-opaque-bearer-value" not in text
    assert "[redacted]" in str(lines[0]["message"]) and "exception" in lines[2]


def test_rotation_writes_one_dated_file_per_day(tmp_path: Path) -> None:
    handler = DailyFileHandler(tmp_path / "logs")
    handler.setFormatter(logging.Formatter("%(message)s"))
    day_one = time.mktime((2026, 3, 1, 23, 59, 0, 0, 0, -1))
    for created, message in ((day_one, "late"), (day_one + 120, "after midnight"), (day_one + 180, "again")):
        record = logging.makeLogRecord({"msg": message, "created": created, "levelno": 20})
        handler.handle(record)
    handler.close()
    files = sorted(path.name for path in (tmp_path / "logs").iterdir())
    assert files == ["sunoql-2026-03-01.log", "sunoql-2026-03-02.log"]
    assert (tmp_path / "logs" / "sunoql-2026-03-02.log").read_text() == "after midnight\nagain\n"


def test_rotate_logs_sends_every_logger_to_todays_file_too(tmp_path: Path) -> None:
    settings = Settings(rotate_logs=True, log_dir=str(tmp_path), log_format=LogFormat.TEXT)
    uvicorn_log = logging.getLogger("uvicorn")
    # As uvicorn's own dictConfig leaves it: a handler of its own, no propagation, a level.
    stray = logging.NullHandler()
    uvicorn_log.addHandler(stray)
    uvicorn_log.propagate = False
    setup = configure_logging(settings, stream=io.StringIO())
    try:
        logging.getLogger("uvicorn.error").info("from uvicorn")
        logging.getLogger("suno.worker").info("from the worker")
    finally:
        setup.close()
    assert uvicorn_log.handlers[-1] is stray and not uvicorn_log.propagate  # given back as it was
    uvicorn_log.removeHandler(stray)
    uvicorn_log.propagate = True
    (path,) = tmp_path.iterdir()
    assert re.fullmatch(r"sunoql-\d{4}-\d{2}-\d{2}\.log", path.name)
    text = path.read_text()
    assert "from uvicorn" in text and "from the worker" in text


def test_debug_lowers_the_level_and_closing_restores_the_root_logger() -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    setup = configure_logging(Settings(debug=True), stream=io.StringIO())
    assert root.level == logging.DEBUG and logging.getLogger("httpx").level == logging.WARNING
    setup.close()
    assert (list(root.handlers), root.level) == before


def test_env_example_documents_every_setting() -> None:
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    missing = [f.name.upper() for f in fields(Settings) if f.name.upper() not in documented]
    assert not missing, f".env.example lacks {missing}"
