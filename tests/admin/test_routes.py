"""Account administration through the web: every change in the history."""

import re

import sqlalchemy_continuum
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Transaction, User

PASSWORD = "a-long-test-password"


def _user(user_id) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _versions(user_id):
    version_class = sqlalchemy_continuum.version_class(User)
    return db.session.scalars(
        select(version_class).where(version_class.id == user_id).order_by("transaction_id")
    ).all()


def test_admin_creates_a_user_with_boards(client, make):
    board = make.board()
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {
            "username": "kalle.k",
            "display_name": "Kalle Karlsson",
            "role": "officer",
            "boards": [str(board.id)],
            "password": "ett-bra-losenord-langt",
            "note": "Ny handläggare",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.username == "kalle.k"))
    assert user.role == "officer" and user.board_ids == {board.id}
    transaction = db.session.get(Transaction, _versions(user.id)[0].transaction_id)
    assert transaction.user_id == admin.id
    assert transaction.note == "Ny handläggare"
    listing_response = client.get("/admin/users")
    assert listing_response.status_code == 200
    listing = listing_response.get_data(as_text=True)
    assert "Kalle Karlsson" in listing and board.name in listing


def test_new_user_errors_keep_what_was_typed(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {
            "username": "nisse",
            "display_name": "Nisse <b>Hult</b>",
            "role": "officer",
            "password": "nisse-nisse-nisse",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "får inte innehålla användarnamnet" in page
    assert 'value="nisse"' in page
    assert "Nisse &lt;b&gt;Hult&lt;/b&gt;" in page
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_unknown_role_is_refused(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {"username": "x1", "display_name": "X", "role": "superuser", "password": PASSWORD},
    )
    assert response.status_code == 422
    assert "Välj en av rollerna" in response.get_data(as_text=True)


def test_taken_username_is_explained(client, make):
    admin = make.user("admin")
    other = make.user("viewer")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {
            "username": other.username,
            "display_name": "Y",
            "role": "viewer",
            "password": "ett-bra-losenord-langt",
        },
    )
    assert response.status_code == 422
    assert "Användarnamnet är upptaget" in response.get_data(as_text=True)


def test_edit_role_and_boards_ends_the_users_sessions(app, client, make):
    board_a, board_b = make.board(), make.board()
    admin = make.user("admin")
    officer = make.user("officer", boards=[board_a])
    officer_browser = app.test_client()
    officer_browser.login(officer.username)
    assert officer_browser.get("/plans").status_code == 200

    client.login(admin.username)
    response = client.post_form(
        f"/admin/users/{officer.id}/edit",
        {"display_name": "Ny Roll", "role": "viewer", "boards": [str(board_b.id)]},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    changed = _user(officer.id)
    assert (changed.role, changed.board_ids, changed.display_name) == (
        "viewer",
        {board_b.id},
        "Ny Roll",
    )
    assert officer_browser.get("/plans").status_code == 302  # signed out
    assert [v.role for v in _versions(officer.id)] == ["officer", "viewer"]


def test_edit_form_is_prefilled_and_saved_only_as_a_plain_form(client, make):
    board = make.board()
    admin = make.user("admin")
    officer = make.user("officer", boards=[board])
    client.login(admin.username)
    page = client.get(f"/admin/users/{officer.id}/edit").get_data(as_text=True)
    assert f'value="{officer.display_name}"' in page
    assert re.search(rf'<input checked[^>]*value="{board.id}"', page)
    assert "data-hx-post" not in page
    refused = client.post_form(
        f"/admin/users/{officer.id}/edit", {"display_name": "", "role": "officer"}
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "<html" in body and "Ange personens namn" in body
    saved = client.post_form(
        f"/admin/users/{officer.id}/edit",
        {"display_name": "Nytt Namn", "role": "officer", "boards": [str(board.id)]},
    )
    assert saved.status_code == 302
    assert saved.headers["Location"] == "/admin/users"


def test_saving_without_changes_records_nothing(client, make):
    admin = make.user("admin")
    viewer = make.user("viewer")
    client.login(admin.username)
    before = db.session.scalar(select(func.count(Transaction.id)))
    client.post_form(
        f"/admin/users/{viewer.id}/edit",
        {"display_name": viewer.display_name, "role": "viewer"},
    )
    assert db.session.scalar(select(func.count(Transaction.id))) == before


def test_admin_cannot_change_own_role_or_deactivate_self(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        f"/admin/users/{admin.id}/edit", {"display_name": "Jag", "role": "viewer"}
    )
    assert response.status_code == 422
    assert "din egen roll" in response.get_data(as_text=True)
    response = client.post_form(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 302
    assert _user(admin.id).active is True


def test_deactivate_and_reactivate(app, client, make):
    admin = make.user("admin")
    viewer = make.user("viewer")
    viewer_browser = app.test_client()
    viewer_browser.login(viewer.username)
    client.login(admin.username)

    assert client.post_form(f"/admin/users/{viewer.id}/deactivate").status_code == 302
    assert _user(viewer.id).active is False
    assert viewer_browser.get("/plans").status_code == 302
    row = f"<td>{viewer.username}</td>"
    assert row not in client.get("/admin/users").get_data(as_text=True)
    assert row in client.get("/admin/users?status=inactive").get_data(as_text=True)

    assert client.post_form(f"/admin/users/{viewer.id}/reactivate").status_code == 302
    assert _user(viewer.id).active is True
    assert [v.active for v in _versions(viewer.id)] == [True, False, True]
    assert db.session.get(User, viewer.id) is not None  # never deleted


def test_reset_password(app, client, make):
    admin = make.user("admin")
    viewer = make.user("viewer")
    viewer_browser = app.test_client()
    viewer_browser.login(viewer.username)
    client.login(admin.username)

    mismatch = client.post_form(
        f"/admin/users/{viewer.id}/password",
        {"password": "ett-helt-nytt-losenord", "confirm": "annat"},
    )
    assert mismatch.status_code == 422
    assert "Lösenorden är inte lika" in mismatch.get_data(as_text=True)

    response = client.post_form(
        f"/admin/users/{viewer.id}/password",
        {"password": "ett-helt-nytt-losenord", "confirm": "ett-helt-nytt-losenord"},
    )
    assert response.status_code == 302
    assert viewer_browser.get("/plans").status_code == 302
    assert _user(viewer.id).check_password("ett-helt-nytt-losenord")
    versions = _versions(viewer.id)
    assert versions[-1].password_changed_at > versions[0].password_changed_at
    assert not hasattr(versions[-1], "password_hash")


def test_unknown_status_filter_is_refused(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    assert client.get("/admin/users?status=deleted").status_code == 400


def test_unknown_user_is_404(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    assert client.get("/admin/users/99999/edit").status_code == 404
    assert client.post_form("/admin/users/99999/deactivate").status_code == 404


def test_only_admins_see_the_menu_item(client, make):
    viewer = make.user("viewer")
    client.login(viewer.username)
    assert "/admin/users" not in client.get("/plans").get_data(as_text=True)


def test_the_new_user_form_preselects_no_role(client, make):
    client.login(make.user("admin").username)
    page = client.get("/admin/users/new").get_data(as_text=True)
    select = page.split('name="role"')[1].split("</select>")[0]
    assert "selected" not in select
    first_option = select.split("<option")[1]
    assert 'value=""' in first_option and "Välj en roll" in first_option
    response = client.post_form(
        "/admin/users/new",
        {"username": "utanroll", "display_name": "Utan roll", "password": "ett-bra-losenord-langt"},
    )
    assert response.status_code == 422
    assert "Välj en roll." in response.get_data(as_text=True)
