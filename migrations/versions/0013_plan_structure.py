"""plan structure: an optional owner board per plan, explicit order of focus areas and
sub-goals

Revision ID: 0013_plan_structure
Revises: 0012_activity_years
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_plan_structure"
down_revision = "0012_activity_years"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, no batch copy (see 0004 and 0009). Every new column is NULL in the rows
    # that exist, live and versioned alike, so current rows still equal their latest
    # versions and the chained version rows still verify (the chain leaves NULL out).
    # SQLite cannot add a foreign key to an existing table: the new column declares it.
    if op.get_bind().dialect.name == "sqlite":
        # Alembic would try a separate ALTER for the constraint, which SQLite lacks.
        op.execute("ALTER TABLE plan ADD COLUMN owner_board_id INTEGER REFERENCES board (id)")
    else:
        op.add_column("plan", sa.Column("owner_board_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_plan_owner_board_id_board", "plan", "board", ["owner_board_id"], ["id"]
        )
    op.add_column(
        "plan_version",
        sa.Column("owner_board_id", sa.Integer(), autoincrement=False, nullable=True),
    )
    for table in ("focus_area", "sub_goal"):
        op.add_column(table, sa.Column("position", sa.Integer(), nullable=True))
        op.add_column(
            f"{table}_version",
            sa.Column("position", sa.Integer(), autoincrement=False, nullable=True),
        )


def downgrade():
    for table in ("focus_area", "sub_goal"):
        op.drop_column(f"{table}_version", "position")
        op.drop_column(table, "position")
    op.drop_column("plan_version", "owner_board_id")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_plan_owner_board_id_board", "plan", type_="foreignkey")
    op.drop_column("plan", "owner_board_id")
