"""lineage: a sub-goal continues a sub-goal of an earlier plan (versioned links)

Revision ID: 0014_lineage
Revises: 0013_plan_structure
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_lineage"
down_revision = "0013_plan_structure"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sub_goal_lineage_version",
        sa.Column("sub_goal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("continues_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("end_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("operation_type", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sub_goal_id", "continues_id", "transaction_id"),
    )
    with op.batch_alter_table("sub_goal_lineage_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sub_goal_lineage_version_continues_id"), ["continues_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sub_goal_lineage_version_end_transaction_id"),
            ["end_transaction_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_sub_goal_lineage_version_operation_type"),
            ["operation_type"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sub_goal_lineage_version_pk_transaction_id",
            ["sub_goal_id", "continues_id", sa.literal_column("transaction_id DESC")],
            unique=False,
        )
        batch_op.create_index(
            "ix_sub_goal_lineage_version_pk_validity",
            ["sub_goal_id", "continues_id", "transaction_id", "end_transaction_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_sub_goal_lineage_version_transaction_id"),
            ["transaction_id"],
            unique=False,
        )
    op.create_table(
        "sub_goal_lineage",
        sa.Column("sub_goal_id", sa.Integer(), nullable=False),
        sa.Column("continues_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["continues_id"], ["sub_goal.id"]),
        sa.ForeignKeyConstraint(["sub_goal_id"], ["sub_goal.id"]),
        sa.PrimaryKeyConstraint("sub_goal_id", "continues_id"),
    )
    with op.batch_alter_table("sub_goal_lineage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sub_goal_lineage_continues_id"), ["continues_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("sub_goal_lineage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sub_goal_lineage_continues_id"))
    op.drop_table("sub_goal_lineage")
    with op.batch_alter_table("sub_goal_lineage_version", schema=None) as batch_op:
        for name in (
            "ix_sub_goal_lineage_version_transaction_id",
            "ix_sub_goal_lineage_version_pk_validity",
            "ix_sub_goal_lineage_version_pk_transaction_id",
            "ix_sub_goal_lineage_version_operation_type",
            "ix_sub_goal_lineage_version_end_transaction_id",
            "ix_sub_goal_lineage_version_continues_id",
        ):
            batch_op.drop_index(name)
    op.drop_table("sub_goal_lineage_version")
