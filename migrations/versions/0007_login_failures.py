"""sign-in limit: atomic failure counters per account and address, and per address

Revision ID: 0007_login_failures
Revises: 0006_comment_lock
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_login_failures"
down_revision = "0006_comment_lock"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_login_failures_window_start"), "login_failures", ["window_start"], unique=False
    )
    # Recent failures in the old table are not carried over: at most one lockout window's
    # worth of counting starts again.
    op.drop_table("login_attempt")


def downgrade():
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("remote_addr", sa.String(length=50), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempt_address_at", "login_attempt", ["remote_addr", "attempted_at"])
    op.create_index("ix_login_attempt_username_at", "login_attempt", ["username", "attempted_at"])
    op.create_index("ix_login_attempt_attempted_at", "login_attempt", ["attempted_at"])
    op.drop_index(op.f("ix_login_failures_window_start"), table_name="login_failures")
    op.drop_table("login_failures")
