"""responsibility: main and involved boards in order, dated links, board kinds

Revision ID: 0011_responsibility
Revises: 0010_start_page_visits
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_responsibility"
down_revision = "0010_start_page_visits"
branch_labels = None
depends_on = None

LINK_COLUMNS = (
    ("position", sa.Integer),
    ("valid_from", sa.Date),
    ("valid_to", sa.Date),
)


def upgrade():
    # Plain ALTERs of nullable columns, no batch copy (see 0004). Rows written before keep
    # NULL: a link without a position comes after the placed ones, by board name (so the
    # first of an old sub-goal's boards is its main board), without dates it always holds,
    # and a board without a kind is a board. Version rows chained before keep a NULL, which
    # the hash chain leaves out, so they still verify.
    for table in ("sub_goal_board", "sub_goal_board_version"):
        for name, column_type in LINK_COLUMNS:
            op.add_column(table, sa.Column(name, column_type(), nullable=True))
    op.add_column("board", sa.Column("kind", sa.String(length=20), nullable=True))
    op.add_column(
        "board_version",
        sa.Column("kind", sa.String(length=20), autoincrement=False, nullable=True),
    )


def downgrade():
    op.drop_column("board_version", "kind")
    op.drop_column("board", "kind")
    for table in ("sub_goal_board_version", "sub_goal_board"):
        for name, _ in reversed(LINK_COLUMNS):
            op.drop_column(table, name)
