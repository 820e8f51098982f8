"""Playable copies of finished songs: resolve a source per clip, mirror it, store it, sign links to it.

Import the submodules directly (`suno.assets.mirror`, `suno.assets.views`…): this package's
`__init__` stays empty so the store can import `suno.assets.model` without a cycle.
"""

from __future__ import annotations
