import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import User


def test_sign_in_and_out(client, make):
    user = make.user("viewer")
    client.login(user.username)
    assert client.get("/plans").status_code == 200
    response = client.post_form("/logout")
    assert response.status_code == 302
    assert client.get("/plans").status_code == 302


def test_wrong_password_gets_a_swedish_message(client, make):
    user = make.user("viewer")
    token = client.csrf_token()
    response = client.post(
        "/login",
        data={"username": user.username, "password": "fel-fel-fel-fel", "csrf_token": token},
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Fel användarnamn eller lösenord" in page
    assert f'value="{user.username}"' in page  # nothing typed is lost


def test_missing_fields_are_explained(client):
    response = client.post_form("/login", {"username": "", "password": ""})
    assert response.status_code == 422
    assert "Ange ditt användarnamn" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client, make):
    user = make.user("viewer")
    response = client.post(
        "/login", data={"username": user.username, "password": "a-long-test-password"}
    )
    assert response.status_code == 400


def test_deactivated_user_cannot_sign_in(client, make):
    user = make.user("viewer")
    user.active = False
    db.session.commit()
    token = client.csrf_token()
    response = client.post(
        "/login",
        data={"username": user.username, "password": "a-long-test-password", "csrf_token": token},
    )
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/plans", "/plans/1", "/sub-goals/1", "/"])
def test_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.location


def test_no_open_redirect_after_sign_in(client, make):
    user = make.user("viewer")
    token = client.csrf_token()
    response = client.post(
        "/login?next=//evil.example/",
        data={"username": user.username, "password": "a-long-test-password", "csrf_token": token},
    )
    assert response.location == "/plans"


def test_passwords_are_hashed_with_scrypt(make):
    user = make.user("viewer")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a-long-test-password")


def test_create_user_command(app, make):
    board = make.board(name="Kultur- och fritidsnämnden")
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "kalle",
            "--role",
            "officer",
            "--board",
            board.name,
            "--display-name",
            "Kalle Anka",
            "--password",
            "ett-långt-lösenord",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "kalle"))
    assert user.board_ids == {board.id}
    weak = app.test_cli_runner().invoke(args=["create-user", "olle", "--password", "kort"])
    assert weak.exit_code != 0
    assert "minst 12" in weak.output
