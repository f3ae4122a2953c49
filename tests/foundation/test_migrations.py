"""The migrations build exactly the schema the models describe, version tables included."""

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intranet.extensions import db


# SQLite's reflection leaves out expression indexes (the one running meeting per plan, keyed
# by coalesce(plan_id, 0)); PostgreSQL reflects and compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
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


def _version_table_additions():
    """Every `op.add_column("<x>_version", sa.Column(...))` in the migrations, with its file."""
    folder = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_column"
                and len(node.args) > 1
            ):
                continue
            table = node.args[0]
            # A table named by a variable (a loop over tables) may be a version table too.
            if isinstance(table, ast.Constant) and not str(table.value).endswith("_version"):
                continue
            name = table.value if isinstance(table, ast.Constant) else ast.unparse(table)
            yield path.name, name, {k.arg: k.value for k in node.args[1].keywords}


def test_columns_added_to_version_tables_are_nullable_and_leave_old_rows_null():
    """The hash chain leaves NULL out of a version row's content, so rows chained before a
    migration still verify only if the migration leaves them NULL: no NOT NULL, no default."""
    additions = list(_version_table_additions())
    assert additions  # 0005, 0006 and 0009 add such columns
    for name, table, keywords in additions:
        nullable = keywords.get("nullable")
        assert isinstance(nullable, ast.Constant) and nullable.value is True, (name, table)
        assert "server_default" not in keywords and "default" not in keywords, (name, table)
