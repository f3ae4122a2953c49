"""The integrity page: the last verification (from the command line or the button) and the
latest checkpoint with its signature checked."""

import json

from sqlalchemy import select

from intranet.core.clock import utc_now
from intranet.extensions import db
from intranet.integrity import checkpoints
from intranet.models import IntegrityCheck


def test_auditor_sees_the_latest_checkpoint_and_verifies_now(app, client, make):
    make.user("auditor", username="revisorn", display_name="Rut Revisor")
    make.board()
    client.login("revisorn")
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "Historiken har inte verifierats ännu." in page
    assert "Signaturen giltig" in page and "✓ Ja" in page
    head = checkpoints.last_checkpoint(checkpoints.log_path(app), checkpoints.app_public_key(app))[
        0
    ]
    assert head.head in page and f"#{head.transaction_id}" in page
    assert 'action="/audit/integrity/verify"' in page

    response = client.post_form("/audit/integrity/verify")
    assert response.status_code == 302
    _wait_for_verification(app)
    page = client.get("/audit/integrity").get_data(as_text=True)
    # The result replaces the running status; no flash about the start stays beside it.
    assert "Verifieringen har startats." not in page
    assert "Du kan starta en ny verifiering om 10 minuter." in page and " disabled" in page
    assert "Godkänd: inga avvikelser" in page and "Rut Revisor (revisorn)" in page
    check = db.session.scalars(select(IntegrityCheck)).one()
    assert (check.ok, check.source, check.problems) == (True, "web", 0)


def _wait_for_verification(app):
    thread = app.extensions.pop("verification_thread")
    thread.join(timeout=60)
    assert not thread.is_alive()
    db.session.expire_all()


def test_verify_now_needs_the_csrf_token(client, make):
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    assert client.post("/audit/integrity/verify").status_code == 400
    assert db.session.scalars(select(IntegrityCheck)).first() is None


def test_a_failed_command_line_verification_and_a_forged_checkpoint_show(app, client, make):
    make.user("admin", username="chefen")
    make.board()
    client.login("chefen")  # before the forgery: a sign-in appends a line of its own
    path = checkpoints.log_path(app)
    path.write_bytes(path.read_bytes().replace(b'"count":', b'"count":9'))
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "Underkänd:" in page and "Kommandoraden" in page
    assert "checkpoint_signature" in page  # the details, as the command printed them
    assert "✗ Nej" in page


def test_the_page_in_english(client, make):
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    page = client.get("/audit/integrity", headers={"Accept-Language": "en-GB,en;q=0.8"})
    page = page.get_data(as_text=True)
    assert "Integrity of the history" in page and "Verify now" in page


def test_verify_now_runs_one_at_a_time_outside_the_request_and_not_too_often(app, client, make):
    from datetime import timedelta

    from intranet.core.clock import utc_now
    from intranet.integrity import service as integrity
    from intranet.models import IntegrityLease

    other = make.user("admin", username="chefen", display_name="Cecilia Chef")
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    # Someone's verification is running (on another worker or server): its lease is held.
    assert integrity._claim(app, other.id) is not None
    response = client.post_form("/audit/integrity/verify", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Verifiering pågår redan (startad" in page and "av Cecilia Chef" in page
    assert "verification_thread" not in app.extensions
    assert "Verifiering pågår (startad" in page and 'data-hx-trigger="every 5s"' in page
    assert 'action="/audit/integrity/verify"' not in page

    # Its holder died: the lease expires by itself.
    lease = db.session.get(IntegrityLease, integrity.VERIFY_LEASE)
    lease.expires_at = utc_now() - timedelta(seconds=1)
    db.session.commit()
    client.post_form("/audit/integrity/verify")
    _wait_for_verification(app)
    assert db.session.scalars(select(IntegrityCheck)).one().ok
    assert integrity.running_verification() is None  # released when done

    # The same user again at once: refused, with the minutes to wait.
    page = client.post_form("/audit/integrity/verify", follow_redirects=True).get_data(as_text=True)
    assert "Du kan starta en ny om 10 minuter." in page
    assert "verification_thread" not in app.extensions
    assert len(db.session.scalars(select(IntegrityCheck)).all()) == 1


def test_the_page_shows_no_server_path(app, client, make):
    make.user("auditor", username="revisorn")
    make.board()
    path = checkpoints.log_path(app)
    path.write_bytes(path.read_bytes().replace(b'"count":', b'"count":9', 1))
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 1
    client.login("revisorn")
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "checkpoint_signature" in page
    assert str(path.parent) not in page and app.instance_path not in page
    path.unlink()
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert str(path.parent) not in page


def test_the_key_fingerprint_against_the_trusted_one_and_a_re_signed_log(app, client, make):
    make.user("auditor", username="revisorn")
    make.board()
    key = checkpoints.app_public_key(app)
    trusted = checkpoints.fingerprint(key)
    client.login("revisorn")
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert trusted in page and "inget betrott fingeravtryck är konfigurerat" in page

    app.config["CHECKPOINT_TRUSTED_FINGERPRINT"] = ":".join(
        trusted[i : i + 2].upper() for i in range(0, len(trusted), 2)
    )
    key_file = checkpoints.key_path(app)
    original_key = key_file.read_bytes()
    try:
        page = client.get("/audit/integrity").get_data(as_text=True)
        assert "✓ Loggen är signerad med den betrodda nyckeln." in page
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0

        # Someone with the server's files: a key of their own, the whole log signed again.
        key_file.unlink()
        checkpoints.reset(app)
        forged_key = checkpoints.signing_key(app)
        path = checkpoints.log_path(app)
        lines = path.read_bytes().splitlines()
        path.write_bytes(b"")
        for line in lines:
            values = json.loads(line)
            for name in ("signature", "previous", "key"):
                values.pop(name)
            checkpoints.append(path, forged_key, values)
        page = client.get("/audit/integrity").get_data(as_text=True)
        assert "✓ Ja" in page  # every line verifies under the new key…
        assert "Varning: loggen är signerad med en annan nyckel än den betrodda" in page
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 1 and "untrusted_key" in result.output
        client.post_form("/audit/integrity/verify")
        _wait_for_verification(app)
        page = client.get("/audit/integrity").get_data(as_text=True)
        assert "Underkänd:" in page and "untrusted_key" in page
    finally:
        app.config.pop("CHECKPOINT_TRUSTED_FINGERPRINT")
        key_file.write_bytes(original_key)
        checkpoints.reset(app)


def test_a_forged_result_row_shows_as_unverifiable(app, client, make):
    make.user("auditor", username="revisorn")
    make.board()
    db.session.add(IntegrityCheck(ok=True, source="cli", transactions=26, duration_ms=1))
    db.session.commit()
    client.login("revisorn")
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "Ej verifierbart resultat" in page and "Godkänd: inga avvikelser" not in page
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "Godkänd: inga avvikelser" in page and "Ej verifierbart" not in page
    # Edited afterwards: the signature no longer holds.
    check = db.session.scalars(select(IntegrityCheck).order_by(IntegrityCheck.id.desc())).first()
    check.problems = 0
    check.transactions = 99
    db.session.commit()
    assert "Ej verifierbart resultat" in client.get("/audit/integrity").get_data(as_text=True)


def test_vouched_for_excludes_a_head_a_sign_in_line_saw(app, client, make):
    from sqlalchemy import text

    from intranet.models import Transaction

    make.user("auditor", username="revisorn")
    make.board()
    vouched = db.session.scalar(select(Transaction.id).order_by(Transaction.id.desc()))
    db.session.execute(
        text("INSERT INTO \"transaction\" (id, issued_at, note) VALUES (:id, :at, 'forged')"),
        {"id": vouched + 10, "at": utc_now()},
    )
    db.session.commit()
    client.login("revisorn")  # its line records the forged head
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert f"till och med transaktion #{vouched}" in page
    assert f"#{vouched + 10}" not in page
