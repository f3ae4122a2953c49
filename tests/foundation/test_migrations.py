"""The migrations build exactly the schema the models describe, version tables included."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intranet.extensions import db


def test_migrations_match_models(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_version_and_transaction_tables_exist(app_context):
    names = set(db.inspect(db.engine).get_table_names())
    for table in (
        "transaction",
        "follow_up_version",
        "sub_goal_board_version",
        "membership_version",
        "user_version",
    ):
        assert table in names
