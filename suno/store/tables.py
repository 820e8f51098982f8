"""The tables, described once; the migrations create them and the store queries them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("request", sa.JSON, nullable=False),
    sa.Column("upstream_ids", sa.JSON, nullable=False),
    # The latest upstream data: a list of clips (MUSIC) or a lyrics object (LYRICS).
    sa.Column("data", sa.JSON, nullable=True),
    sa.Column("fail_reason", sa.Text, nullable=False),
    sa.Column("account", sa.String(64), nullable=True),
    sa.Column("submit_time", sa.Double, nullable=False),
    sa.Column("start_time", sa.Double, nullable=True),
    sa.Column("finish_time", sa.Double, nullable=True),
    sa.Column("updated_at", sa.Double, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    # Set before the call to Suno: a NOT_START task with it set may have reached Suno.
    sa.Column("dispatch_started_at", sa.Double, nullable=True),
    # The replica that set the mark: once its heartbeat stops, the send is known to be interrupted.
    sa.Column("dispatch_owner", sa.String(64), nullable=True),
    sa.Column("next_poll_at", sa.Double, nullable=True),
    sa.Column("lease_owner", sa.String(64), nullable=True),
    sa.Column("lease_expires", sa.Double, nullable=True),
    # Fencing token: bumped by every claim; a write carrying an older one is refused.
    sa.Column("lease_version", sa.Integer, nullable=False),
    sa.Column("waiting_reason", sa.Text, nullable=True),
    sa.Column("transaction_uuid", sa.String(36), nullable=True),
    sa.Column("source_clip_id", sa.String(128), nullable=True),
    sa.Column("source_task_id", sa.String(36), nullable=True),
    sa.Column("webhook_url", sa.Text, nullable=True),
    sa.Column("webhook_format", sa.String(16), nullable=True),
    sa.Index("ix_tasks_status_next_poll", "status", "next_poll_at"),
    sa.Index("ix_tasks_submit_time_id", "submit_time", "id"),
)

# One row per running process (replica), refreshed by its worker: a stale heartbeat means it died.
replicas = sa.Table(
    "replicas",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("started_at", sa.Double, nullable=False),
    sa.Column("heartbeat_at", sa.Double, nullable=False),
)

task_clips = sa.Table(
    "task_clips",
    metadata,
    sa.Column("clip_id", sa.String(128), primary_key=True),
    sa.Column("task_id", sa.String(36), nullable=False, index=True),
)

task_events = sa.Table(
    "task_events",
    metadata,
    sa.Column(
        "seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    sa.Column("task_id", sa.String(36), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)

# One row per clip and kind of media (audio, image, video, wav): where the playable copy stands.
assets = sa.Table(
    "assets",
    metadata,
    sa.Column("clip_id", sa.String(128), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("task_id", sa.String(36), nullable=False, index=True),
    sa.Column("account", sa.String(64), nullable=True),
    # pending, ready, failed, unavailable
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    # Which source gave the file: audio_url, media_url, download, wav, image_url, video_url.
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("storage_key", sa.String(255), nullable=True),
    sa.Column("content_type", sa.String(64), nullable=True),
    sa.Column("size", sa.BigInteger, nullable=True),
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.Double, nullable=True),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
    sa.Index("ix_assets_state_next_attempt", "state", "next_attempt_at"),
)

# The webhook outbox: one row per event to deliver, written in the transaction of the task change.
webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    # The Standard Webhooks message id (webhook-id): stable across retries, so receivers de-duplicate.
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("task_id", sa.String(36), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    # text, first, complete, error
    sa.Column("stage", sa.String(16), nullable=False),
    # The task revision the event was written at.
    sa.Column("revision", sa.Integer, nullable=False),
    # A task's events in order (revision·10 + the stage's place): a later one waits for the earlier.
    sa.Column("position", sa.Integer, nullable=False),
    # pending, delivered, failed
    sa.Column("state", sa.String(16), nullable=False),
    # Rendered at the first attempt and kept, so every retry sends the same bytes.
    sa.Column("body", sa.Text, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    # Every attempt's outcome: [{"at", "status_code", "error", "seconds"}], newest last (capped).
    sa.Column("history", sa.JSON, nullable=False),
    sa.Column("next_attempt_at", sa.Double, nullable=False),
    sa.Column("lease_owner", sa.String(64), nullable=True),
    sa.Column("lease_expires", sa.Double, nullable=True),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Column("updated_at", sa.Double, nullable=False),
    sa.Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),
)

# The persistent browser id the web app sends as `device-id`, one per account, made once when
# DEVICE_ID (or the account's device_id in ACCOUNTS_FILE) is not set.
account_devices = sa.Table(
    "account_devices",
    metadata,
    sa.Column("account", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)

# Personas made from a clip (a short call, not a task), kept so they can be listed and used.
personas = sa.Table(
    "personas",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("root_clip_id", sa.String(128), nullable=False, index=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("is_public", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)
