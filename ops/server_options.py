"""The uvicorn options sunoql is served with: one place for `sunoql serve`, the tests' server and the benches.

A WebSocket connection's memory is mostly what these options give it, so what production runs is what the
subscription bench measures.
"""

from __future__ import annotations

from typing import Any

from ops.websocket_protocol import LeanWebSocketProtocol
from suno.config import Settings

# uvicorn's sans-I/O implementation (keep-alive on loop timers; the older `websockets` one runs three tasks
# per connection), without the handshake and the queue objects it would keep per connection.
WS_IMPLEMENTATION = LeanWebSocketProtocol
# GraphQL messages from clients are small; a 16 MiB default would let one client make us buffer that much.
WS_MAX_MESSAGE_BYTES = 1024 * 1024
# uvicorn's protocol-level ping finds peers that vanished without a close (a laptop lid, a dropped NAT entry):
# without it their subscriptions would be held forever. It costs one loop timer per connection, no task.
WS_PING_INTERVAL = 20.0


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config keyword options (without the app, host and port)."""
    return {
        "ws": WS_IMPLEMENTATION,
        # Off by default: each connection's compressor and decompressor (zlib contexts) cost more memory
        # than the small JSON snapshots it would save bytes on.
        "ws_per_message_deflate": settings.ws_per_message_deflate,
        "ws_max_size": WS_MAX_MESSAGE_BYTES,
        "ws_ping_interval": WS_PING_INTERVAL,
        "log_config": None,  # ours: configure_logging routes uvicorn's loggers
        "access_log": False,  # the request middleware logs each request, with its request id
        "timeout_graceful_shutdown": max(int(settings.shutdown_timeout), 1),
    }
