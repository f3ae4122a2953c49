"""`flask audit verify | checkpoint | public-key`: integrity of the history."""

import click
from flask import Flask, current_app

from intranet.extensions import db
from intranet.integrity import checkpoints
from intranet.integrity.authorization import record_missing_credentials
from intranet.integrity.service import (
    pending_text,
    record_verification,
    run_verification,
    summary_lines,
)


@click.group("audit")
def audit_group():
    """Integrity of the history."""


@audit_group.command("verify")
@click.option(
    "--public-key",
    "public_key_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Check the checkpoints' signatures with this public key (the auditor's copy).",
)
@click.option(
    "--log",
    "extra_logs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Another checkpoint log to check (another server's, or a copy from syslog).",
)
def verify_command(public_key_path, extra_logs):
    """Check the chain, every record against its history and every checkpoint; name each
    place that does not match and exit with 1."""
    key = checkpoints.load_public_key(public_key_path) if public_key_path else None
    report, seconds = run_verification(extra_logs, key)
    record_verification(report, seconds, "cli")
    db.session.commit()
    if not report.ok:
        click.echo(f"FAILED: {report.problem_count} problems found.", err=True)
        for line in summary_lines(report):
            click.echo(f"  {line}", err=True)
        raise SystemExit(1)
    click.echo(
        f"OK: {report.transactions} transactions verified ({report.version_rows} version "
        f"rows, {report.current_rows} current rows, {report.checkpoints} checkpoints) "
        f"in {seconds:.1f} s."
    )
    if report.pending:
        click.echo(f"Pending: {pending_text(report)}")
    if report.head_id is not None:
        click.echo(f"Latest: transaction {report.head_id}, chain hash {report.head_hash}")


@audit_group.command("checkpoint")
@click.option(
    "--adopt-existing",
    is_flag=True,
    help="Vouch for every transaction up to the head (once, when upgrading an installation "
    "whose history has no checkpoints yet, before the application is open again).",
)
def checkpoint_command(adopt_existing):
    """Append a signed checkpoint of the chain's current head to the checkpoint log."""
    app = current_app._get_current_object()
    if adopt_existing:
        recorded = record_missing_credentials()
        if recorded:
            click.echo(f"Credential digest recorded in the history for {recorded} accounts.")
    line = checkpoints.adopt_existing(app) if adopt_existing else checkpoints.write_head(app)
    if line is None:
        click.echo("No transactions yet: nothing to checkpoint.")
        return
    click.echo(f"Checkpoint written to {checkpoints.log_path(app)}: {line.decode().strip()}")


@audit_group.command("public-key")
def public_key_command():
    """Print the public key that verifies the checkpoints (for auditors to keep)."""
    key = checkpoints.signing_key(current_app._get_current_object()).public_key()
    click.echo(checkpoints.public_key_pem(key), nl=False)
    click.echo(f"key id {checkpoints.key_id(key)}", err=True)
    click.echo(
        f"fingerprint (CHECKPOINT_TRUSTED_FINGERPRINT) {checkpoints.fingerprint(key)}", err=True
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_group)
