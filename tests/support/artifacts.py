"""Where tests leave files for a person to look at (screenshots): TEST_ARTIFACTS_DIR, else ./test-artifacts."""

from __future__ import annotations

import asyncio
import base64
import os
from pathlib import Path

from tests.support.browser import CdpPage

ROOT = Path(__file__).resolve().parents[2]


def artifacts_dir(*parts: str) -> Path:
    folder = Path(os.environ.get("TEST_ARTIFACTS_DIR") or ROOT / "test-artifacts").joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def screenshot(page: CdpPage, path: Path, *, full_page: bool = True) -> Path:
    """A PNG of the page as it is now (the whole page, not only the viewport, unless told)."""
    shot = await page.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full_page})
    await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
    return path
