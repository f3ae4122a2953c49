"""plan import: the digest of the workbook a plan was imported from, unique

Revision ID: 0005_plan_import
Revises: 0004_security
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_plan_import"
down_revision = "0004_security"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, no batch copy: SQLite reflection cannot copy plan_version's
    # expression index (see 0004).
    op.add_column("plan", sa.Column("import_digest", sa.String(length=64), nullable=True))
    op.create_index("ix_plan_import_digest", "plan", ["import_digest"], unique=True)
    op.add_column(
        "plan_version",
        sa.Column("import_digest", sa.String(length=64), autoincrement=False, nullable=True),
    )


def downgrade():
    op.drop_column("plan_version", "import_digest")
    op.drop_index("ix_plan_import_digest", table_name="plan")
    op.drop_column("plan", "import_digest")
