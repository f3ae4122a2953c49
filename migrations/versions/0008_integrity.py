"""integrity: the results of history verifications (not versioned, not chained)

Revision ID: 0008_integrity
Revises: 0007_login_failures
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_integrity"
down_revision = "0007_login_failures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "integrity_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("version_rows", sa.Integer(), nullable=False),
        sa.Column("checkpoints", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("head_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("integrity_check", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_integrity_check_checked_at"), ["checked_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("integrity_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_integrity_check_checked_at"))
    op.drop_table("integrity_check")
