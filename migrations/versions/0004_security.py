"""security: sign-in rate limit table; the session epoch leaves the history

Revision ID: 0004_security
Revises: 0003_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_security"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("remote_addr", sa.String(length=50), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_attempt_address_at", ["remote_addr", "attempted_at"], unique=False
        )
        batch_op.create_index(
            "ix_login_attempt_username_at", ["username", "attempted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_login_attempt_attempted_at"), ["attempted_at"], unique=False
        )
    # A plain ALTER (SQLite >= 3.35 has DROP COLUMN): a batch copy of the table would have
    # to reflect its expression index, which SQLite reflection cannot.
    op.drop_column("user_version", "session_epoch")


def downgrade():
    op.add_column(
        "user_version",
        sa.Column("session_epoch", sa.Integer(), autoincrement=False, nullable=True),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_attempted_at"))
        batch_op.drop_index("ix_login_attempt_username_at")
        batch_op.drop_index("ix_login_attempt_address_at")
    op.drop_table("login_attempt")
