"""GraphiQL's assets come from the npm registry, checksum-verified, at build time; the page never points at a CDN."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import httpx
import pytest

from ops import graphiql_assets
from ops.graphiql_assets import ASSETS, IntegrityError, fetch, verify_integrity
from schema.graphiql import ASSET_FILES, graphiql_response, missing_assets


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_every_asset_is_pinned_to_an_exact_version_and_a_sha512() -> None:
    for asset in ASSETS:
        assert re.fullmatch(r"\d+\.\d+\.\d+", asset.version)
        assert asset.integrity.startswith("sha512-")
        assert asset.tarball_url.startswith("https://registry.npmjs.org/")


def test_the_fetcher_pins_exactly_the_files_the_page_loads() -> None:
    assert tuple(asset.served_as for asset in ASSETS) == ASSET_FILES


def test_the_running_server_does_not_import_the_fetcher() -> None:
    probe = "import sys, app; app.create_app; print('ops.graphiql_assets' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "False"


def test_a_tarball_whose_checksum_differs_is_refused() -> None:
    verify_integrity(b"abc", integrity_of(b"abc"))
    with pytest.raises(IntegrityError, match="checksum mismatch"):
        verify_integrity(b"abd", integrity_of(b"abc"))


def test_fetch_downloads_each_tarball_once_verifies_it_and_writes_the_served_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packages = {
        "react": tarball({"umd/react.production.min.js": b"react"}),
        "react-dom": tarball({"umd/react-dom.production.min.js": b"react-dom"}),
        "graphiql": tarball({"graphiql.min.js": b"graphiql", "graphiql.min.css": b"css"}),
    }
    pinned = tuple(
        graphiql_assets.NpmFile(
            a.package, a.version, integrity_of(packages[a.package]), a.path_in_package, a.served_as
        )
        for a in ASSETS
    )
    monkeypatch.setattr(graphiql_assets, "ASSETS", pinned)
    requested: list[str] = []

    def registry(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        name = request.url.path.split("/-/")[0].strip("/")
        return httpx.Response(200, content=packages[name])

    with httpx.Client(transport=httpx.MockTransport(registry)) as client:
        written = fetch(tmp_path, client)
    assert {path.name for path in written} == {a.served_as for a in pinned}
    assert (tmp_path / "graphiql.min.css").read_bytes() == b"css"
    assert len(requested) == 3
    assert missing_assets(tmp_path) == []


def test_fetch_writes_nothing_when_a_checksum_fails(tmp_path: Path) -> None:
    with (
        httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, content=b"evil"))) as client,
        pytest.raises(IntegrityError),
    ):
        fetch(tmp_path, client)
    assert missing_assets(tmp_path) == [a.served_as for a in ASSETS]


def test_the_page_loads_only_local_assets(tmp_path: Path) -> None:
    for asset in ASSETS:
        (tmp_path / asset.served_as).write_text("x")
    page = bytes(graphiql_response(tmp_path).body).decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("graphql/assets/") for source in sources)
    assert "unpkg" not in page and "cdn" not in page.lower().replace("no cdn", "")


def test_without_assets_the_page_says_how_to_install_them(tmp_path: Path) -> None:
    response = graphiql_response(tmp_path)
    assert response.status_code == 503
    assert b"python -m ops.graphiql_assets fetch" in bytes(response.body)
