"""The browser's Cookie header as an ordered map: parse it, merge Set-Cookie into it, read `__client`."""

from __future__ import annotations

from collections.abc import Iterable

# Clerk's long-lived client cookie; its raw value doubles as the Authorization of Clerk calls.
CLERK_CLIENT_COOKIE = "__client"


def parse_cookie_header(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if name and sep:
            cookies[name.strip()] = value.strip()
    return cookies


def format_cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def merge_set_cookie(header: str, set_cookies: Iterable[str]) -> str:
    """Apply Set-Cookie lines to a Cookie header, as a browser would; expired cookies are dropped."""
    cookies = parse_cookie_header(header)
    changed = False
    for line in set_cookies:
        first, *attributes = line.split(";")
        name, sep, value = first.strip().partition("=")
        if not name or not sep:
            continue
        name, value = name.strip(), value.strip()
        expired = not value or any(
            attribute.strip().lower().replace(" ", "") in ("max-age=0", "max-age=-1")
            for attribute in attributes
        )
        if expired:
            changed |= cookies.pop(name, None) is not None
        elif cookies.get(name) != value:
            cookies[name] = value
            changed = True
    return format_cookie_header(cookies) if changed else header


def clerk_client_value(header: str) -> str | None:
    return parse_cookie_header(header).get(CLERK_CLIENT_COOKIE)
