"""`flask backup PATH` and `flask restore PATH [--force]`."""

import click
from flask import Flask, current_app

from intranet.extensions import db
from intranet.operations.services import OperationError, backup, restore


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent copy of the whole database (history included) to PATH."""
    try:
        written = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Overwrite a database that holds data.")
def restore_command(path, force):
    """Restore the database from a backup made by `flask backup`."""
    # The app's own connections must not hold the database open during the restore.
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path, force=force)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
