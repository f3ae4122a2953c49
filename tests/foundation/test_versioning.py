"""Every change is versioned: one request, one transaction, naming the signed-in user."""

from flask import request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy_continuum import version_class

from intranet import create_app
from intranet.extensions import db
from intranet.models import FollowUp, Transaction, User
from intranet.versioning import set_change_note
from tests.conftest import Client


def test_one_request_changing_two_records_is_one_transaction(app, make):
    officer = make.user("officer")
    first = make.follow_up(status="ongoing")
    second = make.follow_up(status="ongoing")
    before = db.session.scalar(select(func.count(Transaction.id)))

    # A second app on the same database, with a route that changes two records.
    second_app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    second_app.test_client_class = Client

    @second_app.post("/test/two-changes")
    @login_required
    def two_changes():
        set_change_note(request.form.get("note"))
        for follow_up_id in (first.id, second.id):
            db.session.get(FollowUp, follow_up_id).outcome = "Uppdaterad"
        db.session.commit()
        return "ok"

    client = second_app.test_client()
    client.post("/login", data={"username": officer.username, "password": "a-long-test-password"})
    response = client.post("/test/two-changes", data={"note": "Årsuppföljning"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    with second_app.app_context():
        db.session.remove()
        db.engine.dispose()

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Transaction.id))) == before + 1
    transaction = db.session.scalars(select(Transaction).order_by(Transaction.id.desc())).first()
    assert transaction.user_id == officer.id
    assert transaction.remote_addr == "10.1.2.3"
    assert transaction.note == "Årsuppföljning"
    FollowUpVersion = version_class(FollowUp)
    changed = db.session.scalars(
        select(FollowUpVersion.id).where(FollowUpVersion.transaction_id == transaction.id)
    ).all()
    assert sorted(changed) == sorted([first.id, second.id])


def test_users_and_memberships_are_versioned(make):
    board = make.board()
    user = make.user("officer", boards=[board])
    MembershipVersion = version_class(type(user.memberships[0]))
    UserVersion = version_class(User)
    assert db.session.scalar(select(func.count()).select_from(UserVersion).where(
        UserVersion.id == user.id)) == 1
    assert db.session.scalar(select(func.count()).select_from(MembershipVersion).where(
        MembershipVersion.user_id == user.id)) == 1
    # The password hash is never copied into the history.
    assert "password_hash" not in UserVersion.__table__.c


def test_unchanged_save_creates_no_transaction(make):
    follow_up = make.follow_up(status="ongoing", outcome="Text")
    before = db.session.scalar(select(func.count(Transaction.id)))
    follow_up.outcome = "Text"
    db.session.commit()
    assert db.session.scalar(select(func.count(Transaction.id))) == before
