"""Account configuration: the single SESSION_ID/COOKIE of the original, or the list in ACCOUNTS_FILE."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from suno.config import Settings
from suno.errors import SettingsError

DEFAULT_ACCOUNT = "default"
_KNOWN_KEYS = frozenset({"name", "session_id", "cookie", "device_id", "max_concurrency"})


@dataclass(frozen=True, slots=True)
class AccountConfig:
    name: str
    cookie: str
    session_id: str = ""
    device_id: str = ""
    max_concurrency: int = 10

    def __repr__(self) -> str:
        # Dataclass repr would print the cookie into any log or traceback.
        return f"AccountConfig(name={self.name!r}, max_concurrency={self.max_concurrency})"


def load_account_configs(settings: Settings) -> list[AccountConfig]:
    if settings.accounts_file:
        return _accounts_from_file(Path(settings.accounts_file), settings)
    if not settings.cookie:
        raise SettingsError(
            "no Suno credentials: set COOKIE (and SESSION_ID) or ACCOUNTS_FILE, "
            "or leave them empty to run against the built-in simulator"
        )
    return [
        AccountConfig(
            name=DEFAULT_ACCOUNT,
            cookie=settings.cookie,
            session_id=settings.session_id,
            device_id=settings.device_id,
            max_concurrency=settings.account_concurrency,
        )
    ]


def _accounts_from_file(path: Path, settings: Settings) -> list[AccountConfig]:
    where = f"ACCOUNTS_FILE {str(path)!r}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"{where}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" near line {line + 1}" if isinstance(line, int) else ""
        raise SettingsError(f"{where}: not valid {_format_name(path)}{at}") from None
    if isinstance(data, Mapping) and "accounts" in data:
        data = data["accounts"]
    if not isinstance(data, list) or not data:
        raise SettingsError(f"{where}: must be a non-empty list of accounts ({{name, cookie, ...}})")
    accounts: list[AccountConfig] = []
    for index, entry in enumerate(data, start=1):
        account = _account_from_entry(entry, f"{where}, entry {index}", settings)
        if any(existing.name == account.name for existing in accounts):
            raise SettingsError(f"{where}, entry {index}: the name {account.name!r} is used twice")
        accounts.append(account)
    return accounts


def _account_from_entry(entry: Any, where: str, settings: Settings) -> AccountConfig:
    if not isinstance(entry, Mapping):
        raise SettingsError(f"{where}: must be a mapping with at least name and cookie")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SettingsError(f"{where}: 'name' is missing or empty")
    where = f"{where} ({name.strip()!r})"
    unknown = sorted(str(key) for key in entry if key not in _KNOWN_KEYS)
    if unknown:
        raise SettingsError(
            f"{where}: unknown keys {', '.join(unknown)}; allowed: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    cookie = entry.get("cookie")
    if not isinstance(cookie, str) or not cookie.strip():
        raise SettingsError(f"{where}: 'cookie' is missing or empty (copy it from a suno.com request)")
    session_id = entry.get("session_id") or ""
    device_id = entry.get("device_id") or settings.device_id
    if not isinstance(session_id, str) or not isinstance(device_id, str):
        raise SettingsError(f"{where}: 'session_id' and 'device_id' must be strings")
    limit = entry.get("max_concurrency", settings.account_concurrency)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise SettingsError(f"{where}: 'max_concurrency' must be a whole number greater than 0")
    return AccountConfig(
        name=name.strip(),
        cookie=cookie.strip(),
        session_id=session_id.strip(),
        device_id=device_id.strip(),
        max_concurrency=limit,
    )


def _format_name(path: Path) -> str:
    return "JSON" if path.suffix.lower() == ".json" else "YAML (or JSON)"
