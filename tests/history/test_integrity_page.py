"""The integrity page: the last verification (from the command line or the button) and the
latest checkpoint with its signature checked."""

from sqlalchemy import select

from intranet.extensions import db
from intranet.history import checkpoints
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
    page = client.get("/audit/integrity").get_data(as_text=True)
    assert "Historiken verifierades utan avvikelser." in page
    assert "Godkänd: inga avvikelser" in page and "Rut Revisor (revisorn)" in page
    check = db.session.scalars(select(IntegrityCheck)).one()
    assert (check.ok, check.source, check.problems) == (True, "web", 0)


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
