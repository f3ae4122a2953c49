"""Stored text interpolated into translated messages stays text: the archive flash, the
next-plan checkbox labels and the strategy error show a title holding tags as text."""

import pytest
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import User
from tests.conftest import PASSWORD

GADGET = (
    '<i data-hx-post="/admin/users/2/edit" data-hx-trigger="load" '
    'data-hx-vals=\'{"role": "admin"}\'>x</i><img src=x onerror=alert(1)>'
)
ESCAPED = "&lt;i data-hx-post="


def _no_gadget(page: str) -> None:
    assert "<i data-hx-post" not in page and "<img src=x" not in page
    assert ESCAPED in page


def test_archive_and_unarchive_flashes_show_the_title_as_text(client, make):
    make.user("admin", username="chefen")
    activity = make.activity(title=GADGET)
    client.login("chefen")
    response = client.post_form(f"/archive/activity/{activity.id}", {"note": "Dubblett"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    _no_gadget(page)
    assert "arkiverades" in page
    response = client.post_form(f"/archive/activity/{activity.id}/undo")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    _no_gadget(page)
    assert "är tillbaka från arkivet" in page


def test_archive_flashes_of_every_kind_of_record_escape_its_label(client, make):
    make.user("admin", username="chefen")
    board = make.board(name=GADGET)
    targets = (
        ("strategy", make.strategy(title=GADGET)),
        ("plan", make.plan(title=GADGET)),
        ("focus_area", make.focus_area(title=GADGET)),
        ("sub_goal", make.sub_goal(title=GADGET)),
    )
    client.login("chefen")
    for kind, record in targets:
        for url in (f"/archive/{kind}/{record.id}", f"/archive/{kind}/{record.id}/undo"):
            response = client.post_form(url, follow_redirects=True)
            assert response.status_code == 200, url
            _no_gadget(response.get_data(as_text=True))
    for url in (f"/boards/{board.id}/archive", f"/boards/{board.id}/unarchive"):
        response = client.post_form(url, follow_redirects=True)
        assert response.status_code == 200, url
        _no_gadget(response.get_data(as_text=True))


def test_next_plan_checkbox_labels_show_focus_area_titles_as_text(client, make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    pilot = make.plan(strategy=strategy, title="Pilot 2012–2015", start_year=2012, end_year=2015)
    area = make.focus_area(plan=pilot, number="1", title=GADGET)
    make.sub_goal(focus_area=area, code="1.2", title=GADGET)
    admin = make.user("admin")
    client.login(admin.username, PASSWORD)
    _no_gadget(client.get(f"/plans/{pilot.id}/next").get_data(as_text=True))
    refused = client.post_form(f"/plans/{pilot.id}/next", {"title": "", "start_year": "x"})
    assert refused.status_code == 422
    _no_gadget(refused.get_data(as_text=True))


def test_strategy_error_shows_the_plan_title_as_text(client, make):
    strategy = make.strategy(start_year=2012, end_year=2032)
    make.plan(strategy=strategy, title=GADGET, start_year=2012, end_year=2015)
    admin = make.user("admin")
    client.login(admin.username, PASSWORD)
    response = client.post_form(
        f"/strategies/{strategy.id}/edit",
        {"title": "Strategi", "start_year": "2014", "end_year": "2032"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    _no_gadget(page)
    assert "ligger utanför de åren" in page
    db.session.expire_all()


PROMOTE = {"display_name": "Befordrad", "role": "admin"}
GESTURE = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "same-origin", "Sec-Fetch-User": "?1"}


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true"},
        {"HX-Request": "true", "HX-Trigger": "user_form"} | GESTURE,
        {"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-User": "?1"},
    ],
)
def test_account_changes_need_the_administrators_own_form_submission(client, make, headers):
    admin = make.user("admin")
    officer = make.user("officer")
    client.login(admin.username, PASSWORD)
    token = client.csrf_token()
    posts = [
        (f"/admin/users/{officer.id}/edit", PROMOTE),
        (f"/admin/users/{officer.id}/password", {"password": "x" * 20, "confirm": "x" * 20}),
        (f"/admin/users/{officer.id}/deactivate", {}),
        (
            "/admin/users/new",
            {"username": "ny", "display_name": "Ny", "role": "admin", "password": "y" * 20},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data=data, headers=headers | {"X-CSRFToken": token})
        assert response.status_code == 400, url
    db.session.expire_all()
    assert db.session.get(User, officer.id).role == "officer"
    assert db.session.get(User, officer.id).is_active
    assert db.session.scalar(select(func.count(User.id))) == 2
    by_hand = client.post_form(f"/admin/users/{officer.id}/edit", PROMOTE, headers=GESTURE)
    assert by_hand.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).role == "admin"
