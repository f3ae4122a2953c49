"""Command-line commands: `flask create-user`, `flask demo load|serve`."""

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import run_simple

from intranet.accounts.services import create_user
from intranet.auth.actors import SYSTEM
from intranet.core.errors import RuleViolation
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import ROLES, Board, Plan


@click.command("create-user")
@click.argument("username")
@click.option("--display-name", default=None, help="Name shown in the UI and the history.")
@click.option("--role", type=click.Choice(list(ROLES)), default="viewer", show_default=True)
@click.option("--board", "boards", multiple=True, help="Board name; repeat for several.")
@click.password_option(help="At least 12 characters.")
def create_user_command(username, display_name, role, boards, password):
    """Create a local user account."""
    found = []
    for name in boards:
        board = db.session.scalar(select(Board).where(Board.name == name))
        if board is None:
            raise click.ClickException(f"No board named {name!r}.")
        found.append(board)
    with acting_as(None, f"CLI: create user {username}"):
        try:
            create_user(SYSTEM, username, display_name or username, role, password, found)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(f"{error.field}: {error.message}") from None
        db.session.commit()
    click.echo(f"Created {role} {username}.")


@click.group("demo")
def demo_group():
    """The demo data set built from the seeds."""


def _load_demo() -> None:
    from intranet.demo.loader import load_demo

    password = current_app.config["DEMO_PASSWORD"]
    report = load_demo(password)
    click.echo(f"Demo data: {report.created} records created.")
    click.echo("Demo accounts: admin, officer, auditor, viewer")
    click.echo(f"Demo password: {password}")


@demo_group.command("load")
def demo_load():
    """Create whatever of the demo data is missing (safe to run again)."""
    _load_demo()


@demo_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def demo_serve(host, port):
    """Migrate, load the demo data into an empty database, and serve in the foreground."""
    upgrade()
    if db.session.scalar(select(func.count(Plan.id))) == 0:
        _load_demo()
    else:
        click.echo(f"Demo password: {current_app.config['DEMO_PASSWORD']}")
    db.session.remove()
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C stops)")
    # Flask refuses app.run() inside its own CLI, so serve with Werkzeug directly.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_group)
