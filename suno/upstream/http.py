"""What every upstream request shares: the web app's headers, the httpx client, redacted error details."""

from __future__ import annotations

import json

import httpx

from suno.config import Settings
from suno.redaction import Redactor

USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
WEB_ORIGIN = "https://suno.com"
MAX_DETAIL_LENGTH = 300


def web_app_headers(device_id: str) -> dict[str, str]:
    """The headers suno.com's own web app sends, so our requests look like it."""
    headers = {
        "User-Agent": USER_AGENT,
        "Origin": WEB_ORIGIN,
        "Referer": f"{WEB_ORIGIN}/",
        "Accept": "*/*",
    }
    if device_id:
        headers["device-id"] = device_id
    return headers


def build_http_client(settings: Settings) -> httpx.AsyncClient:
    """One pooled client honouring PROXY (http or socks5) and UPSTREAM_TIMEOUT on every call."""
    timeout = httpx.Timeout(settings.upstream_timeout, connect=min(settings.upstream_timeout, 15.0))
    return httpx.AsyncClient(
        proxy=settings.proxy or None,
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


def error_detail(response: httpx.Response, redact: Redactor) -> str:
    """Suno's own words for a failure: FastAPI's `detail`, or Clerk's `errors[0].long_message`."""
    text = ""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        body = None
    if isinstance(body, dict):
        detail = body.get("detail")
        errors = body.get("errors")
        if isinstance(detail, str):
            text = detail
        elif detail is not None:
            text = json.dumps(detail, ensure_ascii=False)
        elif isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            text = str(first.get("long_message") or first.get("message") or first.get("code") or "")
    if not text:
        text = response.reason_phrase or f"HTTP {response.status_code}"
    text = redact(" ".join(text.split()))
    return text if len(text) <= MAX_DETAIL_LENGTH else text[: MAX_DETAIL_LENGTH - 1] + "…"


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(seconds, 0.0)
