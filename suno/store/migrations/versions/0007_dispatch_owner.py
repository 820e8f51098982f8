"""Dispatch marks get an owner, and replicas a heartbeat: a dead owner's sends are confirmed quickly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("dispatch_owner", sa.String(64), nullable=True))
    op.create_table(
        "replicas",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("heartbeat_at", sa.Double, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("replicas")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("dispatch_owner")
