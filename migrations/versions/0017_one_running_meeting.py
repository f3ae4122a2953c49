"""one running meeting per scope (a plan, or all plans), kept by a partial unique index

Revision ID: 0017_one_running_meeting
Revises: 0016_integrity_lease
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_one_running_meeting"
down_revision = "0016_integrity_lease"
branch_labels = None
depends_on = None

RUNNING = sa.text("ended_at IS NULL")


def upgrade():
    # Meetings that ran side by side before the index would stop it from being built. They
    # are not ended here: a migration cannot write through the versioned path, and a meeting
    # ended outside the history would break the hash chain's account of it. An admin ends
    # them in the application (POST /meetings/<id>/end) and runs the upgrade again.
    duplicates = op.get_bind().execute(
        sa.text(
            "SELECT id FROM meeting AS m WHERE ended_at IS NULL AND EXISTS ("
            " SELECT 1 FROM meeting AS o WHERE o.ended_at IS NULL AND o.id <> m.id"
            " AND coalesce(o.plan_id, 0) = coalesce(m.plan_id, 0)) ORDER BY id"
        )
    ).scalars().all()
    if duplicates:
        raise RuntimeError(
            "Several meetings are running over the same plan: end all but one of the "
            f"meetings {duplicates} in the application, then upgrade again."
        )
    op.create_index(
        "uq_meeting_running_scope",
        "meeting",
        [sa.text("coalesce(plan_id, 0)")],
        unique=True,
        postgresql_where=RUNNING,
        sqlite_where=RUNNING,
    )


def downgrade():
    op.drop_index("uq_meeting_running_scope", table_name="meeting")
