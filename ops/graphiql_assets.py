"""Fetch GraphiQL's browser assets from the npm registry, pinned by version and sha512, into .vendor/graphiql/.

Usage: `python -m ops.graphiql_assets fetch` (at install/build time), `... check` (exit 1 when missing).
Nothing here is copied into the repository: the folder is git-ignored and sunoql serves it at /graphql/assets/
(`schema/graphiql.py` locates and serves the files; the running server never imports this module).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from schema.graphiql import ASSETS_DIR, missing_assets

REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")


@dataclass(frozen=True)
class NpmFile:
    package: str
    version: str
    # `dist.integrity` from the registry's metadata for this exact version.
    integrity: str
    path_in_package: str
    # One of schema.graphiql.ASSET_FILES: the name the page loads it by.
    served_as: str

    @property
    def tarball_url(self) -> str:
        name = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{name}-{self.version}.tgz"


# GraphiQL 3.x is the last line with a UMD build (no bundler needed); React 18 is what it was built against.
ASSETS = (
    NpmFile(
        "react",
        "18.2.0",
        "sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==",
        "umd/react.production.min.js",
        "react.production.min.js",
    ),
    NpmFile(
        "react-dom",
        "18.2.0",
        "sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==",
        "umd/react-dom.production.min.js",
        "react-dom.production.min.js",
    ),
    NpmFile(
        "graphiql",
        "3.8.3",
        "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
        "graphiql.min.js",
        "graphiql.min.js",
    ),
    NpmFile(
        "graphiql",
        "3.8.3",
        "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
        "graphiql.min.css",
        "graphiql.min.css",
    ),
)


class IntegrityError(Exception):
    """A downloaded tarball does not match the sha512 pinned for it."""


def verify_integrity(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise IntegrityError(f"checksum mismatch: expected {integrity}, got {algorithm}-{actual}")


def extract(tarball: bytes, path_in_package: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(f"package/{path_in_package}")
        if member is None:
            raise FileNotFoundError(path_in_package)
        return member.read()


def fetch(directory: Path = ASSETS_DIR, client: httpx.Client | None = None) -> list[Path]:
    """Download each pinned tarball once, check its sha512, write the files to serve; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or httpx.Client(timeout=60.0, follow_redirects=True)
    tarballs: dict[str, bytes] = {}
    written = []
    try:
        for asset in ASSETS:
            if asset.tarball_url not in tarballs:
                response = http.get(asset.tarball_url)
                response.raise_for_status()
                verify_integrity(response.content, asset.integrity)
                tarballs[asset.tarball_url] = response.content
            target = directory / asset.served_as
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(extract(tarballs[asset.tarball_url], asset.path_in_package))
            partial.replace(target)
            written.append(target)
    finally:
        if own_client:
            http.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.graphiql_assets", description=__doc__.splitlines()[0]
    )
    parser.add_argument("command", choices=["fetch", "check"])
    parser.add_argument("--dir", type=Path, default=ASSETS_DIR, help=f"target folder (default {ASSETS_DIR})")
    args = parser.parse_args(argv)
    if args.command == "check":
        missing = missing_assets(args.dir)
        if missing:
            print(f"missing GraphiQL assets in {args.dir}: {', '.join(missing)}", file=sys.stderr)
            return 1
        print(f"GraphiQL assets present in {args.dir}")
        return 0
    for path in fetch(args.dir):
        print(f"fetched {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
