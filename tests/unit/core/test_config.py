"""Settings: the original's names and defaults, and one clear line per invalid value."""

from __future__ import annotations

import re

import pytest

from suno.config import (
    DEFAULT_BASE_URL,
    DEFAULT_EXCHANGE_TOKEN_URL,
    SECRET_SETTINGS,
    RestEnvelope,
    Settings,
    UpstreamMode,
)
from suno.errors import SettingsError
from suno.store import parse_sql_dsn, sqlite_database


def test_defaults_match_the_original_project() -> None:
    settings = Settings.from_env({})
    assert settings.base_url == DEFAULT_BASE_URL == "https://studio-api-prod.suno.com"
    assert settings.exchange_token_url == DEFAULT_EXCHANGE_TOKEN_URL
    # The one departure: no fixed DEVICE_ID; each account gets its own, made once and kept (issue 12).
    assert settings.device_id == ""
    assert (settings.port, settings.chat_openai_model, settings.chat_time_out) == (8000, "gpt-4o", 600.0)
    assert settings.sqlite_path == "api.db?_busy_timeout=5000"
    assert (settings.log_dir, settings.debug, settings.rotate_logs, settings.pprof) == (
        "./logs",
        False,
        False,
        False,
    )
    assert settings.uses_simulator


def test_values_are_parsed_by_type() -> None:
    settings = Settings.from_env(
        {"PORT": "9000", "DEBUG": "true", "POLL_INTERVAL": "0.5", "REST_ENVELOPE": "RELAY", "COOKIE": "c=1"}
    )
    assert (settings.port, settings.debug, settings.poll_interval) == (9000, True, 0.5)
    assert settings.rest_envelope is RestEnvelope.RELAY
    assert not settings.uses_simulator


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT: must be a whole number between 1 and 65535, got 'eighty'"),
        ({"PORT": "70000"}, "PORT: must be a whole number"),
        ({"DEBUG": "maybe"}, "DEBUG: must be true or false"),
        ({"POLL_INTERVAL": "0"}, "POLL_INTERVAL: must be greater than 0"),
        ({"UPSTREAM_MODE": "cloud"}, "UPSTREAM_MODE: must be one of auto, suno, simulator"),
        ({"UPSTREAM_MODE": "suno"}, "UPSTREAM_MODE: 'suno' needs COOKIE"),
        ({"EXCHANGE_TOKEN_URL": "https://x/tokens"}, "EXCHANGE_TOKEN_URL: must contain %s"),
        ({"PROXY": "ftp://p"}, "PROXY: must be an http://"),
        ({"SESSION_ID": "sess_1"}, "COOKIE: must be set"),
        ({"SIMULATOR_ERA": "1999"}, "SIMULATOR_ERA: must be one of 2024, 2026"),
    ],
)
def test_invalid_settings_fail_with_one_line_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_secret_values_are_never_echoed_in_errors() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"ACCOUNT_CONCURRENCY": "x", "SECRET_TOKEN": "s3cr3t"})
    assert "s3cr3t" not in str(caught.value)
    assert Settings(upstream_mode=UpstreamMode.SIMULATOR).uses_simulator


def test_sql_dsn_accepts_the_original_formats_and_sqlalchemy_urls() -> None:
    mysql = parse_sql_dsn("root:pw@tcp(db.local:3307)/sunoapi")
    assert (mysql.drivername, mysql.host, mysql.port, mysql.database, mysql.password) == (
        "mysql+asyncmy",
        "db.local",
        3307,
        "sunoapi",
        "pw",
    )
    assert parse_sql_dsn("postgres://u:p@h:5432/db").drivername == "postgresql+asyncpg"
    assert parse_sql_dsn("postgresql+asyncpg://u@h/db").drivername == "postgresql+asyncpg"
    with pytest.raises(SettingsError, match="SQL_DSN"):
        parse_sql_dsn("oracle://u@h/db")


def test_sqlite_path_understands_the_busy_timeout_suffix() -> None:
    database = sqlite_database("data/api.db?_busy_timeout=7000")
    assert database.url.database == "data/api.db" and database.busy_timeout_ms == 7000
    with pytest.raises(SettingsError, match="in-memory"):
        sqlite_database(":memory:")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CAPTCHA_SOLVER": "anticaptcha"}, "CAPTCHA_SOLVER: must be one of none, 2captcha, relay"),
        ({"CAPTCHA_SOLVER": "2captcha"}, "CAPTCHA_SOLVER_KEY: must be set"),
        (
            {"CAPTCHA_SOLVER": "2captcha", "CAPTCHA_SOLVER_KEY": "k" * 32},
            "CAPTCHA_HCAPTCHA_SITEKEY / CAPTCHA_TURNSTILE_SITEKEY",
        ),
        ({"ALERT_WEBHOOK_URL": "https://hooks.test/a,ftp://b"}, "ALERT_WEBHOOK_URL: must start with"),
    ],
)
def test_challenge_and_alert_settings_are_checked(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env(env)


def test_the_solver_key_is_never_echoed() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"CAPTCHA_SOLVER_KEY": "abc", "CAPTCHA_SOLVE_TIMEOUT": "-1"})
    assert "abc" not in str(error.value)
    assert "CAPTCHA_SOLVER_KEY" in SECRET_SETTINGS
