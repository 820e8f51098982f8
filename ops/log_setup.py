"""One logging set-up for the app, uvicorn and the worker: text or JSON lines, daily files, request ids, redaction."""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import logging.handlers
import os
import queue
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from suno.config import SECRET_SETTINGS, LogFormat, Settings
from suno.redaction import Redactor

# Set by the HTTP middleware for the duration of one request; every log line of that request carries it.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Libraries whose own lines are noise (httpx logs every URL at INFO, aiosqlite every statement at DEBUG).
QUIET_LOGGERS = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "aiosqlite": logging.INFO}
# Record attributes that are not `extra=` fields (uvicorn's color_message duplicates the message).
# uvicorn's own dictConfig gives these handlers and stops propagation; ours take them back to the root.
ADOPTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "rid",
    "color_message",
}


def settings_secrets(settings: Settings) -> list[str]:
    values = [str(getattr(settings, name.lower(), "") or "") for name in SECRET_SETTINGS]
    # Each webhook URL on its own, since a log line names one of them, never the list.
    return values + [url.strip() for url in settings.alert_webhook_url.split(",") if url.strip()]


class RedactingQueueHandler(logging.handlers.QueueHandler):
    """Freezes each record in the caller's thread (message, request id, traceback) with secrets removed,
    then hands it to the listener thread, so file and console writes never block the event loop."""

    def __init__(self, log_queue: queue.SimpleQueue[Any], redact: Redactor) -> None:
        super().__init__(log_queue)
        self.redact = redact

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        frozen = logging.makeLogRecord(record.__dict__)
        frozen.msg = self.redact(record.getMessage())
        frozen.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        frozen.exc_text = self.redact(record.exc_text) if record.exc_text else None
        frozen.exc_info = None
        frozen.stack_info = self.redact(record.stack_info) if record.stack_info else None
        frozen.request_id = getattr(record, "request_id", None) or request_id.get()
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and isinstance(value, str):
                setattr(frozen, key, self.redact(value))
        return frozen


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None)
        record.rid = f" [{rid}]" if rid else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; `extra=` fields are kept when they serialise."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid:
            line["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and _is_json(value):
                line[key] = value
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


class DailyFileHandler(logging.Handler):
    """Writes to LOG_DIR/sunoql-YYYY-MM-DD.log, opening the next day's file at midnight (local time)."""

    def __init__(self, directory: str | Path, prefix: str = "sunoql") -> None:
        super().__init__()
        self.directory = Path(directory)
        self.prefix = prefix
        self._day = ""
        self._stream: TextIO | None = None

    def path_for(self, created: float) -> Path:
        return self.directory / f"{self.prefix}-{time.strftime('%Y-%m-%d', time.localtime(created))}.log"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            day = time.strftime("%Y-%m-%d", time.localtime(record.created))
            if day != self._day or self._stream is None:
                self._open(record.created, day)
            assert self._stream is not None
            self._stream.write(self.format(record) + "\n")
            self._stream.flush()
        except Exception:
            self.handleError(record)

    def _open(self, created: float, day: str) -> None:
        if self._stream is not None:
            self._stream.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._stream = self.path_for(created).open("a", encoding="utf-8")
        self._day = day

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        super().close()


class LoggingSetup:
    """What configure_logging installed; `close()` flushes and gives the root logger back as it was."""

    def __init__(self, redactor: Redactor, listener: logging.handlers.QueueListener, previous: Any) -> None:
        self.redactor = redactor
        self._listener = listener
        self._previous = previous
        self._closed = False

    def close(self) -> None:
        global _current
        if self._closed:
            return
        self._closed = True
        if _current is self:
            _current = None
        self._listener.stop()
        for handler in self._listener.handlers:
            handler.close()
        root = logging.getLogger()
        handlers, level, quiet, adopted = self._previous
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)
        for name, (old_handlers, old_propagate, old_level) in adopted.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = old_handlers
            logger.propagate = old_propagate
            logger.setLevel(old_level)


# The set-up in force, so the composition root can add the runtime's secrets (accounts' cookies, JWTs).
_current: LoggingSetup | None = None


def current_redactor() -> Redactor | None:
    return _current.redactor if _current is not None else None


def configure_logging(settings: Settings, stream: TextIO | None = None) -> LoggingSetup:
    """Route every logger through one redacting queue to stderr (and daily files when ROTATE_LOGS=true)."""
    global _current
    if _current is not None:
        _current.close()
    formatter: logging.Formatter = (
        JsonFormatter() if settings.log_format is LogFormat.JSON else TextFormatter()
    )
    console = logging.StreamHandler(stream or sys.stderr)
    outputs: list[logging.Handler] = [console]
    if settings.rotate_logs:
        outputs.append(DailyFileHandler(os.path.expanduser(settings.log_dir)))
    for handler in outputs:
        handler.setFormatter(formatter)
    redactor = Redactor(settings_secrets(settings))
    log_queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(log_queue, *outputs, respect_handler_level=True)
    root = logging.getLogger()
    previous = (
        list(root.handlers),
        root.level,
        {name: logging.getLogger(name).level for name in QUIET_LOGGERS},
        {
            name: (list(logger.handlers), logger.propagate, logger.level)
            for name in ADOPTED_LOGGERS
            for logger in (logging.getLogger(name),)
        },
    )
    for name in ADOPTED_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    root.handlers[:] = [RedactingQueueHandler(log_queue, redactor)]
    root.setLevel(logging.DEBUG if settings.debug else logging.INFO)
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    listener.start()
    _current = LoggingSetup(redactor, listener, previous)
    return _current
