"""`python -m schema` writes schema/schema.graphql (the SDL); `--check` fails when the file is stale."""

from __future__ import annotations

import argparse
import sys

from schema.build import SDL_PATH, schema_sdl


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m schema", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when schema.graphql is stale")
    args = parser.parse_args()
    sdl = schema_sdl()
    current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    if args.check:
        if current != sdl:
            print(f"{SDL_PATH} is stale: run python -m schema", file=sys.stderr)
            return 1
        return 0
    SDL_PATH.write_text(sdl, encoding="utf-8")
    print(f"wrote {SDL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
