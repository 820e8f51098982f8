"""Suno's challenges (captchas) and account health: the check flow, solvers, states, events, alerts."""

from suno.challenges.alerts import WebhookAlerts, webhook_urls
from suno.challenges.desk import ChallengeDesk
from suno.challenges.health import AccountEvent, AccountHealth, HealthBoard
from suno.challenges.solvers import ChallengeSolver, NoSolver, RelaySolver
from suno.challenges.two_captcha import SolverOptions, TwoCaptchaSolver

__all__ = [
    "AccountEvent",
    "AccountHealth",
    "ChallengeDesk",
    "ChallengeSolver",
    "HealthBoard",
    "NoSolver",
    "RelaySolver",
    "SolverOptions",
    "TwoCaptchaSolver",
    "WebhookAlerts",
    "webhook_urls",
]
