"""Sign-in: rate limit in the database, sessions that end, the password policy, and the
personal-data guard on the CLI and the admin forms."""

import pytest
from sqlalchemy import func, select

from intranet.core.clock import utc_now
from intranet.core.errors import RuleViolation
from intranet.core.password_policy import check_password_policy
from intranet.extensions import db
from intranet.models import LoginFailures, Transaction, User

PASSWORD = "a-long-test-password"
# A made-up but checksum-valid personal identity number.
IDENTITY_NUMBER = "19121212-1212"


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": client.csrf_token()},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_account_locked_after_repeated_failures_from_one_address(app, client, make):
    user = make.user("viewer")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert _sign_in(client, user.username, "wrong-wrong-wrong").status_code == 401
    locked = _sign_in(client, user.username, PASSWORD)
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert "För många misslyckade inloggningsförsök" in page
    assert f'value="{user.username}"' in page


def test_guessing_from_elsewhere_does_not_lock_the_user_out(app, client, make):
    """The limit is per account *and* address: an attacker who knows the admin's name
    cannot lock the admin out from another address."""
    admin = make.user("admin")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 3):
        _sign_in(client, admin.username, "wrong-wrong-wrong", address="192.0.2.66")
    assert _sign_in(client, admin.username, PASSWORD, address="192.0.2.66").status_code == 429
    assert _sign_in(client, admin.username, PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_is_shared_by_every_app_server(app, make):
    """Two app instances (as on two servers) count the same failures."""
    from intranet import create_app

    user = make.user("viewer")
    other_server = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
        }
    )
    other_server.test_client_class = app.test_client_class
    first, second = app.test_client(), other_server.test_client()
    for number in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        browser = first if number % 2 else second
        assert _sign_in(browser, user.username, "wrong-wrong-wrong").status_code == 401
    assert _sign_in(first, user.username, PASSWORD).status_code == 429
    assert _sign_in(second, user.username, PASSWORD).status_code == 429
    with other_server.app_context():
        db.engine.dispose()


def test_address_locked_after_many_failures_on_different_accounts(app, client, make):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        user = make.user("viewer")
        for number in range(3):
            _sign_in(client, f"guess{number}", "wrong-wrong-wrong", address="10.6.6.6")
        assert _sign_in(client, user.username, PASSWORD, address="10.6.6.6").status_code == 429
        assert _sign_in(client, user.username, PASSWORD, address="10.7.7.7").status_code == 302
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_the_address_limit_is_twenty_by_default(app):
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 20


def test_the_address_limit_can_be_switched_off_and_the_account_limit_stays(app, client, make):
    """Behind a NAT, a Citrix farm or a balancer without PROXY_COUNT everyone shares one
    address: with the per-address limit off, many failures from it lock no one else out,
    while the account's own limit still holds."""
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 0
    try:
        user, victim = make.user("viewer"), make.user("viewer")
        for number in range(25):
            assert _sign_in(client, f"guess{number}", "wrong-wrong-wrong").status_code == 401
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            assert _sign_in(client, victim.username, "wrong-wrong-wrong").status_code == 401
        assert _sign_in(client, victim.username, PASSWORD).status_code == 429
        assert _sign_in(client, user.username, PASSWORD).status_code == 302
        # No address counter is kept while the limit is off.
        assert db.session.scalar(select(func.count()).select_from(LoginFailures)) == 26
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_lockout_expires_and_old_attempts_are_pruned(app, client, make):
    user = make.user("viewer")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _sign_in(client, user.username, "wrong-wrong-wrong")
    # Let the failures age past the window, as if the lockout time had passed.
    long_ago = utc_now().replace(year=2000)
    db.session.execute(db.update(LoginFailures).values(window_start=long_ago))
    db.session.commit()
    _sign_in(client, "someone-else", "wrong-wrong-wrong", address="10.0.0.2")
    # The old windows are pruned; only the new account-address and address counts remain.
    assert db.session.scalar(select(func.count()).select_from(LoginFailures)) == 2
    assert _sign_in(client, user.username, PASSWORD).status_code == 302


def test_success_clears_the_accounts_failures(client, make):
    user = make.user("viewer")
    _sign_in(client, user.username, "wrong-wrong-wrong")
    _sign_in(client, user.username, PASSWORD)
    # Only the address's count remains: one failure (the success took its own count back).
    assert [row.failures for row in db.session.scalars(select(LoginFailures))] == [1]


def test_sign_out_ends_the_users_other_sessions_too(app, client, make):
    user = make.user("viewer")
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(user.username)
    phone.login(user.username)
    with laptop.session_transaction() as stolen:
        copied_cookie = dict(stolen)
    transactions = db.session.scalar(select(func.count(Transaction.id)))

    assert laptop.post_form("/logout").status_code == 302
    assert phone.get("/plans").status_code == 302
    replayed = app.test_client()
    with replayed.session_transaction() as session:
        session.update(copied_cookie)
    assert replayed.get("/plans").status_code == 302
    # The epoch is a mechanism, not history: signing out records no change.
    assert db.session.scalar(select(func.count(Transaction.id))) == transactions


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "minst 12 tecken"),
        ("password1234", "för vanligt"),
        ("aaaaaaaaaaaaaaa", "för vanligt"),
        ("my-name-is-kalle-k", "användarnamnet"),
    ],
)
def test_password_policy(password, message):
    with pytest.raises(RuleViolation) as refused:
        check_password_policy(password, "Kalle-K")
    assert refused.value.field == "password"
    assert message in str(refused.value.message)


def test_password_policy_accepts_a_good_password():
    check_password_policy("korvbröd-och-senap-i-juni", "kalle")


def test_password_is_hashed_with_scrypt(make):
    user = make.user("viewer")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_cli_refuses_identity_numbers_in_display_names(app, app_context):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "pelle",
            "--display-name",
            f"Pelle {IDENTITY_NUMBER}",
            "--password",
            "ett-bra-losenord-langt",
        ]
    )
    assert result.exit_code != 0
    assert "display_name" in result.output
    assert db.session.scalar(select(User).where(User.username == "pelle")) is None


def test_cli_applies_the_password_policy(app, app_context):
    result = app.test_cli_runner().invoke(
        args=["create-user", "olle", "--password", "olle-olle-olle-olle"]
    )
    assert result.exit_code != 0
    assert "password" in result.output


@pytest.mark.parametrize("form", ["new", "edit"])
def test_admin_forms_refuse_identity_numbers(client, make, form):
    admin = make.user("admin")
    viewer = make.user("viewer")
    client.login(admin.username)
    name = f"Anna {IDENTITY_NUMBER}"
    if form == "new":
        url = "/admin/users/new"
        data = {
            "username": "anna",
            "display_name": name,
            "role": "viewer",
            "password": "ett-bra-losenord-langt",
        }
    else:
        url = f"/admin/users/{viewer.id}/edit"
        data = {"display_name": name, "role": "viewer"}
    response = client.post_form(url, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="display_name-error"' in page
    assert "personnummer eller samordningsnummer" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id)).where(User.display_name == name)) == 0


def test_change_notes_refuse_identity_numbers(client, make):
    admin = make.user("admin")
    viewer = make.user("viewer")
    client.login(admin.username)
    transactions = db.session.scalar(select(func.count(Transaction.id)))
    response = client.post_form(
        f"/admin/users/{viewer.id}/edit",
        {"display_name": "Ny", "role": "viewer", "note": f"Begärt av {IDENTITY_NUMBER}"},
    )
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Transaction.id))) == transactions
