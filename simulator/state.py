"""Everything the simulator remembers: accounts and credits, clips and lyrics, tokens, faults, call counts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.challenges import ChallengeControl
from simulator.era import SimulatorEra
from simulator.operation_state import OperationState

CREDITS_PER_GENERATION = 10
# Seconds after submission at speed 1: close to what Suno takes on a quiet day.
QUEUED_AFTER = 3.0
STREAMING_AFTER = 15.0
COMPLETE_AFTER = 35.0
SECOND_CLIP_DELAY = 5.0
LYRICS_AFTER = 4.0

# 2026 era: how many times the download resolver and the WAV lookup answer "processing" first.
PROCESSING_POLLS = 1
DOWNLOAD_LIMIT = 20
MEDIA_URL_TTL = 3600.0

FAULT_KINDS = frozenset(
    {"400", "401", "402", "422", "429", "500", "slow", "badjson", "clip-error", "captcha", "lost-answer"}
)
# Faults that change the reply itself; clip-error makes a generate's clips end in error, lost-answer
# makes the clips and then answers 504 as a proxy whose upstream timed out would.
REPLY_FAULTS = FAULT_KINDS - {"clip-error", "lost-answer"}
# The protocol profiles it speaks (sunoql's SUNO_PROTOCOL values): both unless told otherwise.
PROTOCOLS = ("web2026", "legacy")
DEFAULT_MODEL_KEY = "chirp-hawk"
V6_LIMITS = {
    "title": 100,
    "prompt": 5000,
    "tags": 1000,
    "negative_tags": 1000,
    "gpt_description_prompt": 3000,
}
V6_FEATURES = ["control_sliders", "max_mode", "mumble", "duration"]


# Which operations (and persona) each model allows, as billing's allowed_condition_combinations lists them.
FULL_COMBINATIONS = [
    ["extend"],
    ["cover"],
    ["underpainting"],
    ["overpainting"],
    ["upload_extend"],
    ["persona"],
    ["extend", "persona"],
    ["cover", "persona"],
]
OLDER_COMBINATIONS = [["extend"], ["cover"], ["upload_extend"]]
COMBINATIONS: dict[str, list[list[str]]] = {
    "chirp-auk": OLDER_COMBINATIONS,
    "chirp-v4": OLDER_COMBINATIONS,
    "chirp-v3-5": [["extend"]],
    "chirp-v3-0": [["extend"], ["gen_stem"]],
    "chirp-auk-turbo": [],
}


# billing's models[]: v6 first (the default), then older ones; v4.5-all is retired (can_use false).
def _model(name: str, key: str, *, can_use: bool = True, features: list[str] | None = None) -> dict[str, Any]:
    limits = V6_LIMITS if key.startswith(("chirp-hawk", "chirp-goose")) else {"title": 200, "prompt": 5000}
    return {
        "name": name,
        "external_key": key,
        "can_use": can_use,
        "is_default_model": key == DEFAULT_MODEL_KEY,
        "features": features or [],
        "capabilities": [],
        "max_lengths": limits,
        "allowed_condition_combinations": COMBINATIONS.get(key, FULL_COMBINATIONS),
    }


SIM_MODELS: tuple[dict[str, Any], ...] = (
    _model("v6", "chirp-hawk", features=V6_FEATURES),
    _model("v6-wild", "chirp-hawk-wild", features=V6_FEATURES),
    _model("v6-mini", "chirp-goose", features=["control_sliders"]),
    _model("v5.5", "chirp-fenix"),
    _model("v5", "chirp-crow"),
    _model("v4.5+", "chirp-bluejay"),
    _model("v4.5", "chirp-auk"),
    _model("v4.5-all", "chirp-auk-turbo", can_use=False),
    _model("v4", "chirp-v4"),
    _model("v3.5", "chirp-v3-5"),
    _model("v3", "chirp-v3-0"),
)
RETIRED_MODEL_KEY = "chirp-auk-turbo"
# How many generate requests the state keeps for inspection (/_sim/state).
KEPT_REQUESTS = 50


@dataclass
class Fault:
    """An injected failure: the next `times` matching requests (None: until cleared) fail as `kind`."""

    kind: str
    endpoint: str = "*"
    account: str | None = None
    times: int | None = 1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")

    def matches(self, endpoint: str, account: str | None) -> bool:
        return self.endpoint in ("*", endpoint) and self.account in (None, account)


@dataclass
class SimAccount:
    name: str
    credits: int = 500
    monthly_limit: int = 500
    monthly_usage: int = 0
    download_limit: int = DOWNLOAD_LIMIT
    download_usage: int = 0
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def session_id(self) -> str:
        return f"sess_{self.name}"


@dataclass
class SimClip:
    id: str
    account: str
    created_at: float
    index: int = 0
    prompt: str = ""
    description: str = ""
    title: str = ""
    tags: str = ""
    negative_tags: str = ""
    mv: str = DEFAULT_MODEL_KEY
    make_instrumental: bool = False
    kind: str = "gen"
    error_message: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    stem_from_id: str | None = None
    # 2026 era: whether the download resolver hands this clip out (unlocking spends the allowance).
    unlocked: bool = True


@dataclass
class SimLyrics:
    id: str
    account: str
    prompt: str
    created_at: float


class SimulatorState:
    def __init__(
        self,
        *,
        speed: float = 1.0,
        clock: Callable[[], float] = time.time,
        token_ttl: float = 60.0,
        default_credits: int = 500,
        slow_seconds: float = 3.0,
        retry_after: float = 30.0,
        captcha_required: bool = False,
        max_running_jobs: int | None = None,
        era: SimulatorEra | str = SimulatorEra.SUNO_2026,
        protocols: tuple[str, ...] = PROTOCOLS,
        plain_media: bool = True,
        unlocked: bool = True,
        processing_polls: int = PROCESSING_POLLS,
    ) -> None:
        """`era=SimulatorEra.SUNO_2026` (or "2026"): finished clips get the placeholder `audio_url`,
        `media_urls` (one encrypted item, and a plain one unless `plain_media=False`) and the download
        resolver; clips start unlocked unless `unlocked=False`; media under /media needs a signed URL."""
        if speed <= 0:
            raise ValueError("speed must be greater than 0")
        self.speed = speed
        self.clock = clock
        self.token_ttl = token_ttl
        self.default_credits = default_credits
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.challenges = ChallengeControl(default_required=captcha_required)
        self.max_running_jobs = max_running_jobs
        self.era = SimulatorEra.parse(era)
        unknown = set(protocols) - set(PROTOCOLS)
        if unknown or not protocols:
            raise ValueError(f"protocols must be among {', '.join(PROTOCOLS)}, got {', '.join(protocols)}")
        self.protocols = tuple(protocols)
        self.generate_requests: list[dict[str, Any]] = []
        self.route_calls: Counter[str] = Counter()
        self.plain_media = plain_media
        self.unlocked_by_default = unlocked
        self.processing_polls = processing_polls
        self.download_polls: Counter[str] = Counter()
        self.wav_requested: Counter[str] = Counter()
        self.accounts: dict[str, SimAccount] = {}
        self.clips: dict[str, SimClip] = {}
        self.lyrics: dict[str, SimLyrics] = {}
        self.faults: list[Fault] = []
        # Uploads, personas, video and timed-lyrics jobs, and every operation body taken (for tests).
        self.operations = OperationState()
        self.calls: Counter[str] = Counter()
        self.tokens_issued = 0
        # Clerk `__client` values signed out (their token exchange answers 401).
        self.revoked_clients: set[str] = set()
        self._token_generation = 0
        self._secret = secrets.token_bytes(32)

    # Accounts -----------------------------------------------------------------------------------
    def account(self, name: str) -> SimAccount:
        if name not in self.accounts:
            self.accounts[name] = SimAccount(name, credits=self.default_credits)
        return self.accounts[name]

    @staticmethod
    def cookie_for(name: str) -> str:
        """A browser-like cookie whose Clerk `__client` value names the simulated account."""
        return f"__client={name}; __client_uat=1700000000; ajs_anonymous_id=sim-{name}"

    # Tokens -------------------------------------------------------------------------------------
    def issue_jwt(self, account: str) -> str:
        now = self.clock()
        claims = {
            "sid": f"sess_{account}",
            "sub": f"user_{account}",
            # The Suno user id, as clips carry it in `user_id` (suno-2026.md).
            "suno.com/claims/user_id": f"user_{account}",
            "acct": account,
            "gen": self._token_generation,
            "iat": int(now),
            "exp": now + self.token_ttl,
        }
        self.tokens_issued += 1
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims).encode())
        return f"{head}.{body}.{self._sign(f'{head}.{body}')}"

    def verify_jwt(self, token: str) -> str | None:
        """The account a valid, unexpired, unrevoked token belongs to; None otherwise (401)."""
        parts = token.split(".")
        if len(parts) != 3 or not hmac.compare_digest(parts[2], self._sign(f"{parts[0]}.{parts[1]}")):
            return None
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        if claims["exp"] <= self.clock() or claims["gen"] < self._token_generation:
            return None
        return str(claims["acct"])

    def revoke_tokens(self) -> None:
        """Every JWT issued so far now gets 401, as when Suno invalidates a session's tokens."""
        self._token_generation += 1

    def sign_media(self, name: str, expires: float) -> str:
        """The query of a presigned media URL, as Suno's CDN now wants (2026 era)."""
        return f"expires={int(expires)}&signature={self._sign(f'media:{name}:{int(expires)}')}"

    def media_signature_ok(self, name: str, expires: str | None, signature: str | None) -> bool:
        if not expires or not signature or not expires.isdigit() or int(expires) < self.clock():
            return False
        return hmac.compare_digest(signature, self._sign(f"media:{name}:{expires}"))

    @property
    def signing_secret(self) -> bytes:
        return self._secret

    @property
    def token_generation(self) -> int:
        return self._token_generation

    def restore_signing(self, secret: bytes, token_generation: int) -> None:
        """Sign as a previous run did, so the tokens and media URLs it handed out stay valid."""
        self._secret = secret
        self._token_generation = token_generation

    def _sign(self, message: str) -> str:
        return _b64(hmac.new(self._secret, message.encode(), hashlib.sha256).digest())

    # Faults -------------------------------------------------------------------------------------
    def inject(
        self, kind: str, endpoint: str = "*", *, account: str | None = None, times: int | None = 1
    ) -> None:
        self.faults.append(Fault(kind, endpoint, account, times))

    def clear_faults(self) -> None:
        self.faults.clear()

    def take_fault(
        self, endpoint: str, account: str | None, kinds: frozenset[str] | set[str] = REPLY_FAULTS
    ) -> str | None:
        """Consume the first queued fault of one of `kinds` for this request."""
        for fault in self.faults:
            if fault.kind in kinds and fault.matches(endpoint, account):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault.kind
        return None

    # Clips --------------------------------------------------------------------------------------
    def new_clip(self, account: str, **fields: Any) -> SimClip:
        fields.setdefault("unlocked", self.unlocked_by_default)
        clip = SimClip(id=str(uuid.uuid4()), account=account, created_at=self.clock(), **fields)
        self.clips[clip.id] = clip
        return clip

    def elapsed(self, since: float) -> float:
        """Simulated seconds since `since`: real seconds times the speed."""
        return (self.clock() - since) * self.speed

    def clip_status(self, clip: SimClip) -> str:
        elapsed = self.elapsed(clip.created_at) - clip.index * SECOND_CLIP_DELAY
        if elapsed >= COMPLETE_AFTER:
            return "error" if clip.error_message else "complete"
        if elapsed >= STREAMING_AFTER:
            return "error" if clip.error_message else "streaming"
        return "queued" if elapsed >= QUEUED_AFTER else "submitted"

    def running_jobs(self, account: str) -> int:
        return sum(
            1
            for clip in self.clips.values()
            if clip.account == account
            and clip.index == 0
            and self.clip_status(clip) not in ("complete", "error")
        )

    def new_lyrics(self, account: str, prompt: str) -> SimLyrics:
        lyrics = SimLyrics(str(uuid.uuid4()), account, prompt, self.clock())
        self.lyrics[lyrics.id] = lyrics
        return lyrics

    def lyrics_done(self, lyrics: SimLyrics) -> bool:
        return self.elapsed(lyrics.created_at) >= LYRICS_AFTER

    def speaks(self, protocol: str) -> bool:
        return protocol in self.protocols

    def usable_models(self) -> list[str]:
        return [str(model["external_key"]) for model in SIM_MODELS if model["can_use"]]

    def record_generate(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        self.generate_requests.append({"path": path, "body": body, "headers": headers})
        del self.generate_requests[:-KEPT_REQUESTS]

    def snapshot(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "route_calls": dict(self.route_calls),
            "generate_requests": list(self.generate_requests),
            "tokens_issued": self.tokens_issued,
            "accounts": {
                name: {
                    "credits": a.credits,
                    "monthly_usage": a.monthly_usage,
                    "download_usage": a.download_usage,
                    "calls": dict(a.calls),
                }
                for name, a in self.accounts.items()
            },
            "clips": len(self.clips),
            "faults": [vars(fault) for fault in self.faults],
            "challenges": self.challenges.snapshot(),
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
