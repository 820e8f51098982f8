"""`python -m simulator --port 8300 --speed 1`: serve the simulator on its own, for a person or a test."""

from __future__ import annotations

import argparse

from simulator.app import SimulatorApp
from simulator.era import SimulatorEra
from simulator.state import PROTOCOLS, SimulatorState


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--speed", type=float, default=1.0, help="time multiplier: 10 makes songs 10x faster")
    parser.add_argument(
        "--token-ttl", type=float, default=60.0, help="lifetime of the JWTs it issues, seconds"
    )
    parser.add_argument("--credits", type=int, default=500, help="credits each new account starts with")
    parser.add_argument(
        "--captcha", action="store_true", help="every account starts challenged (see /_sim/challenges)"
    )
    parser.add_argument(
        "--captcha-version",
        type=int,
        choices=(1, 2),
        default=1,
        help="the challenge: 1 hCaptcha, 2 Turnstile",
    )
    parser.add_argument(
        "--era",
        choices=[era.value for era in SimulatorEra],
        default=SimulatorEra.SUNO_2026.value,
        help="2024: durable audio links, no download resolver (2026: placeholder audio_url, media_urls)",
    )
    parser.add_argument(
        "--protocol",
        choices=[*PROTOCOLS, "both"],
        default="both",
        help="the Suno protocol profiles it answers (sunoql's SUNO_PROTOCOL); the other's routes are 404",
    )
    parser.add_argument(
        "--state-file", default=None, help="keep clips, lyrics and credits in this JSON file across restarts"
    )
    args = parser.parse_args(argv)

    import uvicorn  # only the standalone server needs it; the package itself imports no server

    state = SimulatorState(
        speed=args.speed,
        token_ttl=args.token_ttl,
        default_credits=args.credits,
        captcha_required=args.captcha,
        era=args.era,
        protocols=PROTOCOLS if args.protocol == "both" else (args.protocol,),
    )
    state.challenges.default_version = args.captcha_version
    url = f"http://{args.host}:{args.port}"
    print(
        f"Suno simulator ({state.era.value} era) on {url} (speed {args.speed:g}). Point sunoql at it with:\n"
        f"  BASE_URL={url} EXCHANGE_TOKEN_URL='{url}/v1/client/sessions/%s/tokens' "
        f"CLERK_CLIENT_URL={url}/v1/client COOKIE='__client=me'\n"
        "  (the __client value names a simulated account; each starts with --credits credits)",
        flush=True,
    )
    app = SimulatorApp(state, state_file=args.state_file)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", lifespan="on")


if __name__ == "__main__":
    main()
