"""Tasks: why a task waits, its generation's transaction uuid, and the source of an operation."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("waiting_reason", sa.Text, nullable=True))
        batch.add_column(sa.Column("transaction_uuid", sa.String(36), nullable=True))
        batch.add_column(sa.Column("source_clip_id", sa.String(128), nullable=True))
        batch.add_column(sa.Column("source_task_id", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("source_task_id")
        batch.drop_column("source_clip_id")
        batch.drop_column("transaction_uuid")
        batch.drop_column("waiting_reason")
