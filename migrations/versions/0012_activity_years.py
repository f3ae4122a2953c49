"""activity years: an activity's planned years become optional (an undated activity)

Revision ID: 0012_activity_years
Revises: 0011_responsibility
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_activity_years"
down_revision = "0011_responsibility"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite cannot drop NOT NULL in place: batch mode copies the table. The version table's
    # columns were nullable from the start, so the history needs nothing.
    with op.batch_alter_table("activity") as batch:
        batch.alter_column("planned_from_year", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("planned_to_year", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Fails while undated activities exist, deliberately: giving them years here would
    # change current rows outside the history, which the integrity verifier reports.
    with op.batch_alter_table("activity") as batch:
        batch.alter_column("planned_from_year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("planned_to_year", existing_type=sa.Integer(), nullable=False)
