"""Settings from the environment: the original project's names and defaults, plus sunoql's own."""

from __future__ import annotations

import base64
import binascii
import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from suno.errors import SettingsError

DEFAULT_BASE_URL = "https://studio-api-prod.suno.com"
DEFAULT_EXCHANGE_TOKEN_URL = "https://auth.suno.com/v1/client/sessions/%s/tokens?_clerk_js_version=5.117.0"
DEFAULT_CLERK_CLIENT_URL = (
    "https://auth.suno.com/v1/client?__clerk_api_version=2025-11-10&_clerk_js_version=5.117.0"
)
# The Go original's fixed DEVICE_ID; sunoql now makes one per account instead (kept in the store).
DEFAULT_DEVICE_ID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"

# The simulator's protocol generations: durable audio links (2024), or the late-2026 media change.
# The one list of SIMULATOR_ERA's values; simulator.SimulatorEra names them (a test keeps both in step).
SIMULATOR_ERAS = ("2024", "2026")
# SUNO_PROTOCOL's values: the current web app's calls (suno-2026.md) or the 2024–25 ones.
SUNO_PROTOCOLS = ("web2026", "legacy")

# Values never printed, in errors or anywhere else.
SECRET_SETTINGS = frozenset(
    {
        "SESSION_ID",
        "COOKIE",
        "SECRET_TOKEN",
        "CHAT_OPENAI_KEY",
        "ASSET_SIGNING_KEY",
        "CAPTCHA_SOLVER_KEY",
        "ALERT_WEBHOOK_URL",  # Slack and Discord webhook URLs carry their secret
        "WEBHOOK_SECRET",
    }
)


class UpstreamMode(enum.StrEnum):
    AUTO = "auto"  # the real Suno when credentials are set, else the built-in simulator
    SUNO = "suno"
    SIMULATOR = "simulator"


class RestEnvelope(enum.StrEnum):
    README = "readme"  # {"code": 200, "message": "success", "data": …}
    RELAY = "relay"  # {"code": "success", "message": "", "data": …} for new-api/one-api


class CaptchaSolver(enum.StrEnum):
    NONE = "none"  # a challenge fails the song (and the account rests until Suno stops asking)
    TWO_CAPTCHA = "2captcha"  # a solver service with 2Captcha's JSON API
    RELAY = "relay"  # a person hands the token in (solveChallenge, POST /suno/account/challenge)


class LogFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Settings:
    # The original project's settings, same names and defaults.
    session_id: str = ""
    cookie: str = ""
    base_url: str = DEFAULT_BASE_URL
    exchange_token_url: str = DEFAULT_EXCHANGE_TOKEN_URL
    device_id: str = ""  # empty: each account gets its own, made once and kept in the store
    secret_token: str = ""
    port: int = 8000
    sql_dsn: str = ""
    sqlite_path: str = "api.db?_busy_timeout=5000"
    proxy: str = ""
    chat_openai_base: str = "https://api.openai.com"
    chat_openai_key: str = ""
    chat_openai_model: str = "gpt-4o"
    chat_time_out: float = 600.0
    chat_template_dir: str = "./templates"
    debug: bool = False
    rotate_logs: bool = False
    log_dir: str = "./logs"
    pprof: bool = False
    # sunoql's own.
    host: str = "0.0.0.0"
    upstream_mode: UpstreamMode = UpstreamMode.AUTO
    clerk_client_url: str = DEFAULT_CLERK_CLIENT_URL
    accounts_file: str = ""
    account_concurrency: int = 10
    poll_interval: float = 5.0
    task_timeout: float = 600.0
    feed_batch_size: int = 200
    lease_seconds: float = 60.0
    # A replica whose heartbeat is this old is dead: what it was sending to Suno is confirmed, never resent.
    replica_heartbeat_timeout: float = 15.0
    upstream_timeout: float = 60.0
    simulator_speed: float = 1.0
    rest_envelope: RestEnvelope = RestEnvelope.README
    account_show_secrets: bool = False
    chat_public: bool = False
    log_format: LogFormat = LogFormat.TEXT
    pprof_port: int = 8005  # the PPROF listener's loopback port (the original's)
    shutdown_timeout: float = 8.0  # seconds in-flight requests get after SIGTERM (Docker kills at 10)
    ws_per_message_deflate: bool = False  # WebSocket compression: zlib contexts per connection (README)
    public_base_url: str = ""
    # Browser origins allowed to call the API (comma-separated; "*" for any, as the original did; "none").
    cors_allow_origins: str = "*"
    # Playable copies of finished songs (README, "Playable audio").
    asset_dir: str = ""  # default: "assets" beside the SQLite file, else ./assets
    asset_auto_unlock: bool = False  # may spend the plan's download allowance on clips not unlocked
    asset_download_reserve: int = 0  # downloads of the allowance auto-unlock never touches
    asset_mirror_concurrency: int = 2  # downloads at once per account
    asset_mirror_attempts: int = 5
    asset_max_bytes: int = 0  # retention: total size kept, oldest removed first; 0 = no limit
    asset_max_age_days: float = 0.0  # retention: 0 = keep forever
    upload_max_bytes: int = 100 * 1024 * 1024  # the largest audio file an upload may send to Suno
    asset_url_ttl: float = 3600.0  # seconds a signed asset URL stays valid
    asset_signing_key: str = ""  # derived from SECRET_TOKEN (or random per start) when unset
    asset_s3_bucket: str = ""  # set to store assets in S3 instead of ASSET_DIR (extra "s3")
    asset_s3_endpoint: str = ""
    asset_s3_region: str = ""
    asset_s3_prefix: str = "sunoql/"
    asset_s3_proxy: bool = False  # serve S3 bytes through sunoql instead of redirecting
    simulator_era: str = "2026"  # "2024": durable audio links, no download resolver
    suno_protocol: str = "web2026"  # "legacy": generate/v2, feed/v2, lyrics submit + poll
    default_model: str = ""  # a model key or alias; empty: the account's own default (billing)
    submit_confirm_timeout: float = 600.0  # seconds a lost submit is looked for before outcome_unknown
    # Outbound webhooks (README, "Webhooks").
    webhook_secret: str = ""  # whsec_<base64 key>; webhooks are refused while unset
    webhook_concurrency: int = 4  # deliveries in flight at once per replica
    webhook_timeout: float = 15.0  # seconds a receiver has to answer
    webhook_allow_private: bool = False  # allow loopback/private targets (the SSRF guard is on by default)
    webhook_retry_base: float = 5.0  # the first retry's delay in seconds; doubles, with jitter, for 24 h
    # Challenges (README, "When Suno asks for a captcha") and alerts ("Account health and alerts").
    captcha_solver: CaptchaSolver = CaptchaSolver.NONE
    captcha_solver_url: str = "https://api.2captcha.com"
    captcha_solver_key: str = ""
    captcha_hcaptcha_sitekey: str = ""
    captcha_turnstile_sitekey: str = ""
    captcha_solve_timeout: float = 180.0  # seconds one solve may take
    captcha_poll_interval: float = 5.0  # seconds between getTaskResult calls
    captcha_check_interval: float = 300.0  # an account's /api/c/check at least this often before songs
    alert_webhook_url: str = ""  # comma-separated; each gets a JSON POST per account state change

    @property
    def has_credentials(self) -> bool:
        return bool(self.cookie or self.accounts_file)

    @property
    def uses_simulator(self) -> bool:
        if self.upstream_mode is UpstreamMode.AUTO:
            return not self.has_credentials
        return self.upstream_mode is UpstreamMode.SIMULATOR

    @property
    def chat_llm_configured(self) -> bool:
        return bool(self.chat_openai_key)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting; raise SettingsError naming the first invalid one (never its value if secret)."""
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f.name.upper()
            raw = source.get(name)
            if raw is None or raw == "":
                continue
            parser = _PARSERS.get(f.name, _parser_for_default(f.default))
            try:
                values[f.name] = parser(raw.strip())
            except ValueError as exc:
                shown = "" if name in SECRET_SETTINGS else f", got {raw!r}"
                raise SettingsError(f"{name}: {exc}{shown}") from None
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        if self.upstream_mode is UpstreamMode.SUNO and not self.has_credentials:
            raise SettingsError("UPSTREAM_MODE: 'suno' needs COOKIE (and SESSION_ID) or ACCOUNTS_FILE")
        if self.session_id and not self.cookie and not self.accounts_file:
            raise SettingsError("COOKIE: must be set when SESSION_ID is set")
        if "%s" not in self.exchange_token_url:
            raise SettingsError("EXCHANGE_TOKEN_URL: must contain %s where the session id goes")
        for name, url in (("BASE_URL", self.base_url), ("CHAT_OPENAI_BASE", self.chat_openai_base)):
            if not url.startswith(("http://", "https://")):
                raise SettingsError(f"{name}: must start with http:// or https://, got {url!r}")
        if self.simulator_era not in SIMULATOR_ERAS:
            raise SettingsError(
                f"SIMULATOR_ERA: must be one of {', '.join(SIMULATOR_ERAS)}, got {self.simulator_era!r}"
            )
        if self.webhook_secret:
            check_webhook_secret(self.webhook_secret)
        if self.captcha_solver is CaptchaSolver.TWO_CAPTCHA:
            if not self.captcha_solver_key:
                raise SettingsError("CAPTCHA_SOLVER_KEY: must be set when CAPTCHA_SOLVER=2captcha")
            if not (self.captcha_hcaptcha_sitekey or self.captcha_turnstile_sitekey):
                raise SettingsError(
                    "CAPTCHA_HCAPTCHA_SITEKEY / CAPTCHA_TURNSTILE_SITEKEY: set at least one for CAPTCHA_SOLVER=2captcha"
                )
        urls = [url.strip() for url in self.alert_webhook_url.split(",") if url.strip()]
        for name, url in [("CAPTCHA_SOLVER_URL", self.captcha_solver_url)] + [
            ("ALERT_WEBHOOK_URL", u) for u in urls
        ]:
            if not url.startswith(("http://", "https://")):
                raise SettingsError(f"{name}: must start with http:// or https://")
        if self.suno_protocol not in SUNO_PROTOCOLS:
            raise SettingsError(
                f"SUNO_PROTOCOL: must be one of {', '.join(SUNO_PROTOCOLS)}, got {self.suno_protocol!r}"
            )
        if self.proxy and not self.proxy.startswith(("http://", "https://", "socks5://", "socks5h://")):
            raise SettingsError("PROXY: must be an http://, https:// or socks5:// URL")


def check_webhook_secret(secret: str) -> None:
    """whsec_ and a base64 key, as the Standard Webhooks specification writes secrets."""
    key = secret.removeprefix("whsec_")
    try:
        padded = key + "=" * (-len(key) % 4)  # padding is optional, as standardwebhooks reads it
        valid = secret.startswith("whsec_") and len(base64.b64decode(padded, validate=True)) >= 16
    except (ValueError, binascii.Error):
        valid = False
    if not valid:
        raise SettingsError("WEBHOOK_SECRET: must be whsec_ followed by a base64 key of 16 bytes or more")


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError("must be a whole number") from None
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _positive_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("must be a number") from None
    if not value > 0:
        raise ValueError("must be greater than 0")
    return value


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ValueError("must be a whole number between 1 and 65535") from None
    if not 1 <= port <= 65535:
        raise ValueError("must be a whole number between 1 and 65535")
    return port


def _choice(kind: type[enum.StrEnum]) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        try:
            return kind(raw.lower())
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise ValueError(f"must be one of {allowed}") from None

    return parse


def _parser_for_default(default: Any) -> Callable[[str], Any]:
    if isinstance(default, bool):
        return _bool
    if isinstance(default, int):
        return _positive_int
    if isinstance(default, float):
        return _positive_float
    return str


_PARSERS: dict[str, Callable[[str], Any]] = {
    "port": _port,
    "suno_protocol": str.lower,
    "upstream_mode": _choice(UpstreamMode),
    "rest_envelope": _choice(RestEnvelope),
    "log_format": _choice(LogFormat),
    "captcha_solver": _choice(CaptchaSolver),
}
