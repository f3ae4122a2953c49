"""start page visits: when each user last opened the start page (not history)

Revision ID: 0010_start_page_visits
Revises: 0009_focus_area_description
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_start_page_visits"
down_revision = "0009_focus_area_description"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "start_page_visit",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade():
    op.drop_table("start_page_visit")
