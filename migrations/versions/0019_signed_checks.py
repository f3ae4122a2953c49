"""signed verification results: integrity_check carries the checkpoint key's signature and
the transactions still pending

Revision ID: 0019_signed_checks
Revises: 0018_preferences
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_signed_checks"
down_revision = "0018_preferences"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("integrity_check") as batch:
        # Results recorded before this have none: the page shows them as unverifiable.
        batch.add_column(sa.Column("signature", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pending", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("integrity_check") as batch:
        batch.drop_column("pending")
        batch.drop_column("signature")
