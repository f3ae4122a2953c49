"""Verification against an attacker who can write the database (the tests play the attacker
with raw SQL), and against checkpoints kept outside it."""

import logging
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy_continuum import version_class

from intranet.core.clock import utc_now
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.integrity import chain, checkpoints, verify
from intranet.integrity.service import run_verification
from intranet.models import FollowUp, Transaction


def _verify(**options):
    db.session.commit()
    report, _ = run_verification(**options)
    return report


def _edited_follow_up(make, edits=("Första", "Andra", "Tredje")):
    """A follow-up with an insert and one update per edit, each its own transaction."""
    follow_up = make.follow_up()
    for outcome in edits:
        with acting_as(None, f"redovisning {outcome}"):
            follow_up.outcome = outcome
            db.session.commit()
    return follow_up


def _version_transactions(follow_up_id) -> list[int]:
    table = version_class(FollowUp).__table__
    return db.session.scalars(
        select(table.c.transaction_id)
        .where(table.c.id == follow_up_id)
        .order_by(table.c.transaction_id)
    ).all()


def _execute(sql: str, **params) -> None:
    db.session.execute(text(sql), params)
    db.session.commit()


def _only(report, kind):
    assert not report.ok
    found = report.of_kind(kind)
    assert found, [str(problem) for problem in report.problems]
    return found[0]


def test_untouched_history_verifies_with_its_checkpoints(make):
    _edited_follow_up(make)
    report = _verify()
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.checkpoints == report.transactions >= 4
    assert report.version_rows >= report.transactions


def test_demo_data_verify_with_checkpoints_from_the_command_line(app, demo):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count(Transaction.id)))
    assert f"OK: {count} transactions verified" in result.output
    assert f"{count} checkpoints" in result.output


def test_a_moved_end_transaction_id_is_named(make):
    follow_up_id = _edited_follow_up(make).id
    first, second, third, _ = _version_transactions(follow_up_id)
    # Hide the second version from "as of" and from the record's history.
    _execute(
        "UPDATE follow_up_version SET end_transaction_id = :third "
        "WHERE id = :id AND transaction_id = :first",
        third=third,
        id=follow_up_id,
        first=first,
    )
    problem = _only(_verify(), verify.VALIDITY)
    assert (problem.table, problem.record, problem.column) == (
        "follow_up_version",
        str(follow_up_id),
        "end_transaction_id",
    )
    assert (problem.expected, problem.found, problem.transaction_id) == (second, third, first)
    assert not _verify().of_kind(verify.HASH)  # the chain does not hash it: only this finds it


def test_an_edited_current_column_is_named_with_both_values(make):
    follow_up_id = _edited_follow_up(make).id
    _execute("UPDATE follow_up SET outcome = 'Tyst ändrad' WHERE id = :id", id=follow_up_id)
    problem = _only(_verify(), verify.CURRENT)
    assert (problem.table, problem.record, problem.column) == (
        "follow_up",
        str(follow_up_id),
        "outcome",
    )
    assert (problem.expected, problem.found) == ("Tredje", "Tyst ändrad")
    assert "follow_up" in str(problem) and "outcome" in str(problem)


def test_a_deleted_current_row_is_named(make):
    follow_up_id = _edited_follow_up(make).id
    _execute("DELETE FROM follow_up WHERE id = :id", id=follow_up_id)
    problem = _only(_verify(), verify.CURRENT_MISSING)
    assert (problem.table, problem.record) == ("follow_up", str(follow_up_id))


def test_a_current_row_without_history_and_a_forged_operation_are_named(make):
    follow_up_id = _edited_follow_up(make).id
    _execute("INSERT INTO board (id, name, administration) VALUES (987654, 'Smygnämnden', NULL)")
    _, second, _, _ = _version_transactions(follow_up_id)
    _execute(
        "UPDATE follow_up_version SET operation_type = 0 WHERE id = :id AND transaction_id = :tx",
        id=follow_up_id,
        tx=second,
    )
    report = _verify()
    assert _only(report, verify.UNVERSIONED).record == "987654"
    operation = _only(report, verify.OPERATION)
    assert (operation.column, operation.found, operation.transaction_id) == (
        "operation_type",
        "insert",
        second,
    )


def _delete_transaction(transaction_id: int) -> None:
    for table in chain.version_tables():
        db.session.execute(table.delete().where(table.c.transaction_id == transaction_id))
    db.session.execute(
        Transaction.__table__.delete().where(Transaction.__table__.c.id == transaction_id)
    )
    db.session.commit()


def test_deleting_the_newest_transaction_leaves_the_database_behind_the_log(make):
    follow_up_id = _edited_follow_up(make).id
    *_, before_last, last = _version_transactions(follow_up_id)
    # A careful attacker: the newest transaction and its versions go, and everything the
    # chain implies is put back in order, so that only the checkpoints can tell.
    _delete_transaction(last)
    _execute(
        "UPDATE follow_up_version SET end_transaction_id = NULL "
        "WHERE id = :id AND transaction_id = :tx",
        id=follow_up_id,
        tx=before_last,
    )
    _execute(
        "UPDATE follow_up SET outcome = 'Andra', lock_version = lock_version - 1 WHERE id = :id",
        id=follow_up_id,
    )
    report = _verify()
    assert [problem.kind for problem in report.problems] == [verify.BEHIND]
    problem = report.problems[0]
    assert "database is behind the checkpoint log" in problem.message
    assert (problem.expected, problem.found) == (last, before_last)


def test_a_chain_rewritten_from_the_middle_with_every_hash_recomputed(make):
    follow_up_id = _edited_follow_up(make).id
    first, second, third, _ = _version_transactions(follow_up_id)
    # Change an old version (not the latest, so the current row still agrees), then
    # recompute the hash of that transaction and of every one after it.
    _execute(
        "UPDATE follow_up_version SET outcome = 'Omskriven' "
        "WHERE id = :id AND transaction_id = :tx",
        id=follow_up_id,
        tx=second,
    )
    connection = db.session.connection()
    for transaction_id in db.session.scalars(
        select(Transaction.id).where(Transaction.id >= second).order_by(Transaction.id)
    ).all():
        chain.chain_transaction(connection, transaction_id)
    db.session.commit()
    report = _verify()
    assert not report.of_kind(verify.HASH)  # the chain itself is consistent again
    rewrites = report.of_kind(verify.REWRITE)
    assert rewrites[0].transaction_id == second
    assert {problem.kind for problem in report.problems} == {verify.REWRITE}
    assert "rewritten" in rewrites[0].message


def _log_lines(app) -> list[bytes]:
    return checkpoints.log_path(app).read_bytes().splitlines(keepends=True)


def test_a_deleted_checkpoint_line_breaks_the_link_and_an_edited_one_its_signature(app, make):
    _edited_follow_up(make)
    lines = _log_lines(app)
    assert len(lines) >= 4
    checkpoints.log_path(app).write_bytes(b"".join(lines[:1] + lines[2:]))
    problem = _only(_verify(), verify.LINK)
    assert "line 2" in problem.message and "deleted or changed" in problem.message

    edited = lines[1].replace(b'"count":', b'"count":1')
    checkpoints.log_path(app).write_bytes(b"".join(lines[:1] + [edited] + lines[2:]))
    problem = _only(_verify(), verify.SIGNATURE)
    assert "line 2" in problem.message and "signature" in problem.message


def test_verify_with_the_auditors_public_key(app, make, tmp_path):
    _edited_follow_up(make)
    runner = app.test_cli_runner()
    printed = runner.invoke(args=["audit", "public-key"])
    assert printed.exit_code == 0
    auditor_copy = tmp_path / "auditor.pem"
    auditor_copy.write_text(printed.stdout)
    assert runner.invoke(args=["audit", "verify", "--public-key", str(auditor_copy)]).exit_code == 0

    # Someone with the database and the log, but not the key: a key of their own.
    stranger = checkpoints.load_or_create_key(tmp_path / "stranger.pem")
    stranger_public = tmp_path / "stranger-public.pem"
    stranger_public.write_text(checkpoints.public_key_pem(stranger.public_key()))
    result = runner.invoke(args=["audit", "verify", "--public-key", str(stranger_public)])
    assert result.exit_code == 1
    assert "signed with another key" in result.output


class _Lines(logging.Handler):
    """The app logger's lines, taken at the logger itself (not through the root logger's
    handlers, which a logging configuration elsewhere may replace)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_save_succeeds_while_the_log_cannot_be_written_and_verify_reports_the_gap(
    app, client, make
):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    make.user("officer", username="handlaggare", boards=[board])
    good_log = app.config["CHECKPOINT_LOG"]
    app.config["CHECKPOINT_LOG"] = str(checkpoints.log_path(app).parent / "gone" / "x.log")
    logged = _Lines()
    app.logger.addHandler(logged)
    try:
        client.login("handlaggare")
        response = client.post_form(
            f"/sub-goals/{sub_goal.id}/follow-ups/{sub_goal.plan.start_year}/edit",
            {
                "status": "ongoing",
                "outcome": "Sparad ändå.",
                "deviation_reason": "",
                "deviation_text": "",
                "next_steps": "",
                "note": "",
                "lock_version": "0",
            },
        )
    finally:
        app.config["CHECKPOINT_LOG"] = good_log
        app.logger.removeHandler(logged)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    saved = db.session.scalar(select(FollowUp).where(FollowUp.sub_goal_id == sub_goal.id))
    assert saved.outcome == "Sparad ändå."
    request_id = response.headers["X-Request-ID"]
    failures = [line for line in logged.lines if "Checkpoint not written" in line]
    # The save's own line names its request; if it is missing, say what was going on.
    assert any(request_id in failure for failure in failures), (
        request_id,
        logged.lines,
        checkpoints.interval(app),
        app.logger.disabled,
        app.logger.getEffectiveLevel(),
        logging.root.manager.disable,
        app.extensions["checkpoints"].pending,
    )

    newest = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert _verify().ok  # just committed: within the interval and its grace
    later = newest.issued_at + timedelta(seconds=verify.GRACE_SECONDS + 1)
    gap = _only(_verify(now=later), verify.GAP)
    assert gap.transaction_id == newest.id
    assert "gap" in gap.message


def _deferred_edits(app, make):
    """Edits inside a long interval: the first commit writes its line, the rest wait."""
    app.config["CHECKPOINT_INTERVAL_SECONDS"] = 60
    _edited_follow_up(make)
    state = app.extensions["checkpoints"]
    assert state.pending
    return state


def _interval_passes(app, state) -> None:
    state.last_written -= app.config["CHECKPOINT_INTERVAL_SECONDS"]


def test_an_interval_defers_the_checkpoints_in_between_to_one_write(app, make, client):
    try:
        state = _deferred_edits(app, make)
        written = len(_log_lines(app))
        client.get("/login")  # a request ends inside the interval: nothing is due yet
        assert len(_log_lines(app)) == written and state.pending
        _interval_passes(app, state)
        client.get("/login")  # the first request to end after it writes the deferred line
    finally:
        app.config["CHECKPOINT_INTERVAL_SECONDS"] = 0
    assert not state.pending
    lines = _log_lines(app)
    newest = db.session.scalar(select(func.max(Transaction.id)))
    count = db.session.scalar(select(func.count(Transaction.id)))
    assert len(lines) == written + 1 and 1 < len(lines) < count
    assert f'"transaction_id":{newest}'.encode() in lines[-1]
    assert _verify().ok


def test_the_next_commit_after_the_interval_names_the_deferred_transactions(app, make):
    try:
        state = _deferred_edits(app, make)
        deferred = [transaction_id for transaction_id, _ in state.pending]
        _interval_passes(app, state)
        make.board()
    finally:
        app.config["CHECKPOINT_INTERVAL_SECONDS"] = 0
    assert not state.pending
    last = checkpoints.parse_line(_log_lines(app)[-1].decode(), 0, checkpoints.app_public_key(app))
    named = {i for first, end, _ in last.covers for i in range(first, end + 1)}
    assert set(deferred) < named
    assert _verify().ok


_EXITING_WRITER = """
import sys
from intranet import create_app
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Board

app = create_app({
    "SECRET_KEY": "x",
    "SQLALCHEMY_DATABASE_URI": sys.argv[1],
    "CHECKPOINT_LOG": sys.argv[2],
    "CHECKPOINT_KEY": sys.argv[3],
    "CHECKPOINT_INTERVAL_SECONDS": 3600,
})
with app.app_context():
    db.create_all()
    with acting_as(None, "script"):
        for number in range(3):
            db.session.add(Board(name=f"Nämnd {number}", administration="Förvaltning"))
            db.session.commit()
    assert len(app.extensions["checkpoints"].pending) == 2
"""


def test_a_process_that_exits_writes_its_deferred_line(tmp_path):
    # A CLI command or a gunicorn worker leaving within the interval: no timer thread would
    # outlive it, so the exit writes the line (its own SQLite file: this is about the exit).
    import subprocess
    import sys

    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'exiting.sqlite'}"
    log, key = tmp_path / "exiting.log", tmp_path / "exiting-key.pem"
    subprocess.run(
        [sys.executable, "-c", _EXITING_WRITER, url, str(log), str(key)],
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = set(connection.scalars(select(Transaction.id)))
    engine.dispose()
    public_key = checkpoints.load_or_create_key(key).public_key()
    named = set()
    lines = list(checkpoints.read_log(log, public_key))
    for _, checkpoint, problem in lines:
        assert checkpoint is not None and problem is None
        named.update(i for first, end, _ in checkpoint.covers for i in range(first, end + 1))
    assert len(ids) == 3 and named == ids and len(lines) == 2


def test_the_checkpoint_command_and_syslog(app, make):
    import socket

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    app.config["CHECKPOINT_SYSLOG"] = True
    app.config["CHECKPOINT_SYSLOG_ADDRESS"] = f"127.0.0.1:{receiver.getsockname()[1]}"
    checkpoints.reset(app)
    try:
        make.board()
        result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
        assert result.exit_code == 0, result.output
        message = receiver.recv(4096).decode()
    finally:
        app.config["CHECKPOINT_SYSLOG"] = False
        receiver.close()
        checkpoints.reset(app)
    assert checkpoints.SYSLOG_TAG in message and '"signature":' in message
    lines = _log_lines(app)
    assert len(lines) == 2 and lines[0].rstrip().decode() in message
    # A copy of the syslog lines is a checkpoint log of its own for verify.
    assert "Checkpoint written" in result.output


def test_the_signing_key_is_created_private(app, tmp_path):
    path = tmp_path / "keys" / "new.pem"
    key = checkpoints.load_or_create_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert checkpoints.load_or_create_key(path).public_key() == key.public_key()


def test_a_line_cut_short_by_a_crash_is_reported_and_writing_goes_on(app, make):
    make.board()
    path = checkpoints.log_path(app)
    whole = path.read_bytes()
    path.write_bytes(whole[:-1])  # only the newline lost: the line itself is whole
    make.board(name="Andra nämnden")
    assert _verify().ok

    path.write_bytes(whole[:-10])  # cut inside the line
    make.board(name="Tredje nämnden")
    lines = _log_lines(app)
    assert len(lines) == 2 and lines[1].startswith(b"{")
    problem = _only(_verify(), verify.SIGNATURE)
    assert "line 1" in problem.message


def _forge_follow_up_edit(follow_up_id: int, outcome: str, user_id, issued_at) -> int:
    """A writer with the database but neither the key nor the log: a transaction credited
    to someone else, chained correctly, its version row and the current row kept in step,
    exactly as the application would have written them."""
    # Straight to the connection, as a forger would: the ORM refuses bulk writes of
    # versioned tables.
    forger = db.session.connection()
    transaction_table = Transaction.__table__
    version_table = version_class(FollowUp).__table__
    forged_id = db.session.scalar(select(func.max(Transaction.id))) + 1
    forger.execute(
        transaction_table.insert().values(
            id=forged_id,
            issued_at=issued_at,
            user_id=user_id,
            remote_addr="10.0.0.7",
            note="Rättad efter avstämning",
        )
    )
    latest = (
        forger.execute(
            select(version_table).where(
                version_table.c.id == follow_up_id, version_table.c.end_transaction_id.is_(None)
            )
        )
        .mappings()
        .one()
    )
    forger.execute(
        version_table.update()
        .where(
            version_table.c.id == follow_up_id,
            version_table.c.transaction_id == latest["transaction_id"],
        )
        .values(end_transaction_id=forged_id)
    )
    forged_version = dict(latest)
    forged_version.update(
        transaction_id=forged_id,
        end_transaction_id=None,
        operation_type=verify.UPDATE,
        outcome=outcome,
        lock_version=latest["lock_version"] + 1,
    )
    forger.execute(version_table.insert().values(**forged_version))
    forger.execute(
        FollowUp.__table__.update()
        .where(FollowUp.__table__.c.id == follow_up_id)
        .values(outcome=outcome, lock_version=latest["lock_version"] + 1)
    )
    chain.chain_transaction(db.session.connection(), forged_id)
    if db.session.get_bind().dialect.name == "postgresql":
        forger.execute(
            text("SELECT setval(pg_get_serial_sequence('\"transaction\"', 'id'), :id)"),
            {"id": forged_id},
        )
    db.session.commit()
    return forged_id


def test_an_appended_forgery_is_named_though_a_later_save_signs_a_checkpoint(app, make):
    auditor = make.user("auditor", username="revisorn")
    follow_up_id = _edited_follow_up(make).id
    forged = _forge_follow_up_edit(follow_up_id, "Förfalskad", auditor.id, utc_now())
    make.board(name="En vanlig ändring efteråt")  # its commit signs a line
    report = _verify()
    # Just written: inside the grace window, so pending, not yet a failure.
    assert report.ok and report.pending == 1, [str(p) for p in report.problems]
    later = utc_now() + timedelta(seconds=app.config["CHECKPOINT_GRACE_SECONDS"] + 1)
    report = _verify(now=later)
    assert [problem.kind for problem in report.problems] == [verify.GAP]
    assert report.problems[0].transaction_id == forged
    assert "named by no signed checkpoint" in report.problems[0].message
    # The on-demand checkpoint of the head it sees vouches for nothing either.
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert _verify(now=later).of_kind(verify.GAP)[0].transaction_id == forged


def test_a_backdated_forgery_is_named_at_once(app, make):
    auditor = make.user("auditor", username="revisorn")
    follow_up_id = _edited_follow_up(make).id
    issued = db.session.scalars(select(Transaction.issued_at).order_by(Transaction.id)).all()
    between = issued[1] + (issued[2] - issued[1]) / 2
    forged = _forge_follow_up_edit(follow_up_id, "Förfalskad", auditor.id, between)
    make.board(name="En vanlig ändring efteråt")
    report = _verify()
    order = _only(report, verify.ORDER)
    assert (order.transaction_id, order.found) == (forged, between)
    later = utc_now() + timedelta(seconds=app.config["CHECKPOINT_GRACE_SECONDS"] + 1)
    report = _verify(now=later)
    assert {problem.kind for problem in report.problems} == {verify.GAP, verify.ORDER}
    assert _only(report, verify.GAP).transaction_id == forged


def test_a_forgery_dated_in_the_future_is_not_left_pending(make):
    auditor = make.user("auditor", username="revisorn")
    follow_up_id = _edited_follow_up(make).id
    future = utc_now() + timedelta(days=365)
    forged = _forge_follow_up_edit(follow_up_id, "Förfalskad", auditor.id, future)
    report = _verify()
    assert report.pending == 0
    assert _only(report, verify.GAP).transaction_id == forged
    assert _only(report, verify.FUTURE).transaction_id == forged


def test_a_line_names_every_transaction_an_interval_batched(app, make):
    try:
        state = _deferred_edits(app, make)
        _interval_passes(app, state)
        with app.app_context():
            pass  # the end of an app context (a request, a CLI command) writes what is due
    finally:
        app.config["CHECKPOINT_INTERVAL_SECONDS"] = 0
    assert not state.pending
    named = set()
    for _, checkpoint, problem in checkpoints.read_log(
        checkpoints.log_path(app), checkpoints.app_public_key(app)
    ):
        assert checkpoint is not None and problem is None
        for first, last, _ in checkpoint.covers:
            named.update(range(first, last + 1))
    assert named == set(db.session.scalars(select(Transaction.id)).all())


def _swap_password_hash(user_id: int, new_hash) -> None:
    _execute('UPDATE "user" SET password_hash = :hash WHERE id = :id', hash=new_hash, id=user_id)


def test_a_password_hash_swapped_for_a_sign_in_and_back_is_named(app, client, make):
    from werkzeug.security import generate_password_hash

    victim = make.user("admin", username="chefen")
    real_hash = victim.password_hash
    assert _verify().ok
    # The writer puts in a hash of a password they know, signs in as the admin and puts
    # the real hash back: the database then looks untouched.
    _swap_password_hash(victim.id, generate_password_hash("mitt-eget-losen-123", "pbkdf2"))
    assert _only(_verify(), verify.CREDENTIAL).record == str(victim.id)  # while swapped
    client.login("chefen", "mitt-eget-losen-123")
    _swap_password_hash(victim.id, real_hash)
    problem = _only(_verify(), verify.CREDENTIAL)
    assert (problem.table, problem.record) == ("user", str(victim.id))
    assert "signed in" in problem.message and "never gave them" in problem.message

    # A later sign-in with the real password adds no problem.
    client.post_form("/logout")
    client.login("chefen")
    assert _verify().of_kind(verify.CREDENTIAL) == [problem]


def test_the_first_sign_in_records_the_credential_of_an_older_account(client, make):
    user = make.user("officer", username="gammal")
    # An account from before the digest was recorded: the migration left it NULL.
    _execute('UPDATE "user" SET credential_digest = NULL WHERE id = :id', id=user.id)
    _execute("UPDATE user_version SET credential_digest = NULL WHERE id = :id", id=user.id)
    client.login("gammal")
    db.session.expire_all()
    assert db.session.get(type(user), user.id).credential_digest is not None
    report = _verify()
    assert not report.of_kind(verify.CREDENTIAL) and not report.of_kind(verify.CURRENT)


def test_history_from_before_checkpoints_is_adopted_once_by_the_command(app, make):
    _edited_follow_up(make)
    checkpoints.log_path(app).unlink()  # an installation that had no log
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    later = utc_now() + timedelta(hours=1)
    assert _verify(now=later).of_kind(verify.GAP)  # the head it saw is vouched for by no one
    assert runner.invoke(args=["audit", "checkpoint", "--adopt-existing"]).exit_code == 0
    report = _verify(now=later)
    assert report.ok, [str(problem) for problem in report.problems]


def test_the_ok_line_names_the_pending_transactions(app, make):
    auditor = make.user("auditor", username="revisorn")
    follow_up_id = _edited_follow_up(make).id
    forged = _forge_follow_up_edit(follow_up_id, "Förfalskad", auditor.id, utc_now())
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "Pending: 1 transactions" in result.output and str(forged) in result.output


def _role_around_a_write(client, make, sql_raise, sql_back):
    officer = make.user("officer", username="handlaggaren")
    board = make.board()
    assert _verify().ok
    _execute(sql_raise.format(user=officer.id, board=board.id))
    client.login("handlaggaren")
    assert client.post_form(
        "/boards/new", data={"name": "Ny nämnd", "kind": "board"}
    ).status_code in (
        302,
        303,
    )
    _execute(sql_back.format(user=officer.id, board=board.id))
    return officer


def test_a_role_raised_and_put_back_around_a_write_is_named(client, make):
    officer = _role_around_a_write(
        client,
        make,
        "UPDATE \"user\" SET role = 'admin' WHERE id = {user}",
        "UPDATE \"user\" SET role = 'officer' WHERE id = {user}",
    )
    problems = _verify().of_kind(verify.AUTHORIZATION)
    assert problems and all(problem.record == str(officer.id) for problem in problems)
    assert "officer" in problems[0].message


def test_a_membership_added_and_removed_around_a_write_is_named(client, make):
    officer = make.user("officer", username="handlaggaren")
    follow_up = make.follow_up()
    board = make.board(name="Annan nämnd")
    assert _verify().ok
    _execute("INSERT INTO membership (user_id, board_id) VALUES (:u, :b)", u=officer.id, b=board.id)
    client.login("handlaggaren")
    client.post_form("/logout")  # any signed line will do: the sign-in already carries it
    _execute(
        "DELETE FROM membership WHERE user_id = :u AND board_id = :b", u=officer.id, b=board.id
    )
    problem = _only(_verify(), verify.AUTHORIZATION)
    assert problem.record == str(officer.id)
    assert follow_up is not None


def test_an_admin_editing_roles_and_their_own_memberships_is_no_finding(client, make):
    admin = make.user("admin", username="chefen")
    other = make.user("viewer", username="lasaren")
    board = make.board()
    client.login("chefen")
    user = db.session.get(type(admin), admin.id)
    # Through the requests the admin pages make: one for the other user, one for themselves.
    response = client.post_form(
        f"/admin/users/{other.id}/edit",
        data={"display_name": "Läsaren", "role": "officer", "boards": [str(board.id)]},
    )
    assert response.status_code < 400, response.status_code
    response = client.post_form(
        f"/admin/users/{admin.id}/edit",
        data={"display_name": user.display_name, "role": "admin", "boards": [str(board.id)]},
    )
    assert response.status_code < 400, response.status_code
    report = _verify()
    assert report.ok, [str(problem) for problem in report.problems]


def test_adopt_existing_records_every_missing_credential_digest(app, make):
    from intranet.models import User

    user = make.user("officer", username="gammal")
    _execute('UPDATE "user" SET credential_digest = NULL WHERE id = :id', id=user.id)
    _execute("UPDATE user_version SET credential_digest = NULL WHERE id = :id", id=user.id)
    checkpoints.log_path(app).unlink()
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", "--adopt-existing"])
    assert result.exit_code == 0 and "for 1 accounts" in result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).credential_digest is not None
    note = db.session.scalar(select(Transaction.note).order_by(Transaction.id.desc()))
    assert "uppgraderingen" in note
