"""Suno's web API: Clerk auth, the studio-api client, and the account pool the service talks to."""

from __future__ import annotations

from suno.upstream.account_config import AccountConfig, load_account_configs
from suno.upstream.clerk import ClerkAuth
from suno.upstream.client import SunoClient
from suno.upstream.factory import build_client, build_upstream
from suno.upstream.pool import AccountPool
from suno.upstream.pooled_account import PooledAccount
from suno.upstream.port import LyricsSubmission, MusicSubmission, Upstream
from suno.upstream.types import AlignedWord, Billing, CaptchaTokenProvider

__all__ = [
    "AccountConfig",
    "AccountPool",
    "AlignedWord",
    "Billing",
    "CaptchaTokenProvider",
    "ClerkAuth",
    "LyricsSubmission",
    "MusicSubmission",
    "PooledAccount",
    "SunoClient",
    "Upstream",
    "build_client",
    "build_upstream",
    "load_account_configs",
]
