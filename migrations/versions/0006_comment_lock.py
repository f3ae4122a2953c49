"""closing comments: optimistic lock, and one whole-period comment per plan and board

Revision ID: 0006_comment_lock
Revises: 0005_plan_import
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_comment_lock"
down_revision = "0005_plan_import"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, no batch copy (see 0004). Existing comments start at version 1.
    op.add_column(
        "report_comment",
        sa.Column("lock_version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.add_column(
        "report_comment_version",
        sa.Column("lock_version", sa.Integer(), autoincrement=False, nullable=True),
    )
    op.create_index(
        "uq_report_comment_period",
        "report_comment",
        ["plan_id", "board_id"],
        unique=True,
        sqlite_where=sa.text("year IS NULL"),
        postgresql_where=sa.text("year IS NULL"),
    )


def downgrade():
    op.drop_index("uq_report_comment_period", table_name="report_comment")
    op.drop_column("report_comment_version", "lock_version")
    op.drop_column("report_comment", "lock_version")
