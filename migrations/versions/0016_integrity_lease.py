"""integrity lease: one "verify now" at a time; users' credential digest (versioned)

Revision ID: 0016_integrity_lease
Revises: 0015_meetings
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_integrity_lease"
down_revision = "0015_meetings"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "integrity_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("name"),
    )
    # Left NULL in current and version rows alike, so old versions hash as before; each
    # user's next sign-in or password change records it through the history.
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credential_digest", sa.String(length=64), nullable=True))
    with op.batch_alter_table("user_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credential_digest", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("user_version", schema=None) as batch_op:
        batch_op.drop_column("credential_digest")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("credential_digest")
    op.drop_table("integrity_lease")
