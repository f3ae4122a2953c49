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
    behind = _checkpoints_ahead()
    if behind:
        # The checkpoint log is deliberately not part of the backup: it is what tells a
        # restored (or truncated) database from the one whose head was checkpointed.
        click.echo(
            f"Note: the checkpoint log names transaction {behind[0]}, newer than this "
            f"database's newest ({behind[1]}): `flask audit verify` will report that the "
            "database is behind the checkpoint log. Keep the log as it is; if this restore "
            "is to stay, move the log aside (keep it with a note of the restore) and run "
            "`flask audit checkpoint` to start a new one.",
            err=True,
        )


def _checkpoints_ahead() -> tuple[int, int] | None:
    """(newest checkpointed transaction, newest in the database) when the log is ahead."""
    from sqlalchemy import func, select

    from intranet.integrity import checkpoints
    from intranet.models import Transaction

    app = current_app._get_current_object()
    try:
        checkpoint, _, _ = checkpoints.last_checkpoint(
            checkpoints.log_path(app), checkpoints.app_public_key(app)
        )
    except (OSError, checkpoints.CheckpointError, ValueError):
        return None
    newest = db.session.scalar(select(func.max(Transaction.id))) or 0
    db.session.rollback()
    if checkpoint is not None and checkpoint.transaction_id > newest:
        return checkpoint.transaction_id, newest
    return None


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
