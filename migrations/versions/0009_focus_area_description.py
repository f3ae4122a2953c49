"""focus area description: the focus area's own text, printed in the report

Revision ID: 0009_focus_area_description
Revises: 0008_integrity
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_focus_area_description"
down_revision = "0008_integrity"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, no batch copy (see 0004). The version rows written before keep a NULL,
    # which the hash chain leaves out, so they still verify.
    op.add_column("focus_area", sa.Column("description", sa.Text(), nullable=True))
    op.add_column(
        "focus_area_version",
        sa.Column("description", sa.Text(), autoincrement=False, nullable=True),
    )


def downgrade():
    op.drop_column("focus_area_version", "description")
    op.drop_column("focus_area", "description")
