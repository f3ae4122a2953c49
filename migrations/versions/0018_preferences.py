"""preferences and write limits: the language choice out of the history, per-user write counts

Revision ID: 0018_preferences
Revises: 0017_one_running_meeting
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0018_preferences"
down_revision = "0017_one_running_meeting"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "write_count",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    # Each user's language choice moves across. user.locale itself stays as it is: clearing
    # it here would be a change around the history, and user_version keeps its column
    # because the hash chain covers the rows that hold it.
    now = datetime.now(UTC).replace(tzinfo=None)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO user_preference (user_id, locale, updated_at) "
            'SELECT id, locale, :now FROM "user" WHERE locale IS NOT NULL'
        ),
        {"now": now},
    )


def downgrade():
    op.drop_table("write_count")
    op.drop_table("user_preference")
