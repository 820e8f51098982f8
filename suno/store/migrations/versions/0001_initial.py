"""Initial schema: tasks, their clip ids, and the event log."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("upstream_ids", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=True),
        sa.Column("fail_reason", sa.Text, nullable=False),
        sa.Column("account", sa.String(64), nullable=True),
        sa.Column("submit_time", sa.Double, nullable=False),
        sa.Column("start_time", sa.Double, nullable=True),
        sa.Column("finish_time", sa.Double, nullable=True),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("dispatch_started_at", sa.Double, nullable=True),
        sa.Column("next_poll_at", sa.Double, nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_expires", sa.Double, nullable=True),
        sa.Column("lease_version", sa.Integer, nullable=False),
    )
    op.create_index("ix_tasks_status_next_poll", "tasks", ["status", "next_poll_at"])
    op.create_index("ix_tasks_submit_time_id", "tasks", ["submit_time", "id"])
    op.create_table(
        "task_clips",
        sa.Column("clip_id", sa.String(128), primary_key=True),
        sa.Column("task_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_task_clips_task_id", "task_clips", ["task_id"])
    op.create_table(
        "task_events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("task_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ix_task_events_task_id", "task_events", ["task_id"])


def downgrade() -> None:
    op.drop_table("task_events")
    op.drop_table("task_clips")
    op.drop_table("tasks")
