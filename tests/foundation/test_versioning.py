"""Every change is versioned: one request, one transaction, naming the signed-in user."""

from flask_login import login_user
from sqlalchemy import func, select
from sqlalchemy_continuum import version_class

from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import FollowUp, Transaction, User


def test_one_request_changing_two_records_is_one_transaction(app, make):
    officer = make.user("officer")
    first = make.follow_up(status="ongoing")
    second = make.follow_up(status="ongoing")
    before = db.session.scalar(select(func.count(Transaction.id)))

    # A request of the signed-in officer that changes two records and commits once.
    with app.test_request_context("/", method="POST", environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        login_user(db.session.get(User, officer.id))
        set_change_note("Årsuppföljning")
        first.outcome = "Uppdaterad"
        second.outcome = "Uppdaterad"
        db.session.commit()

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
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserVersion).where(UserVersion.id == user.id)
        )
        == 1
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(MembershipVersion)
            .where(MembershipVersion.user_id == user.id)
        )
        == 1
    )
    # The password hash is never copied into the history.
    assert "password_hash" not in UserVersion.__table__.c


def test_unchanged_save_creates_no_transaction(make):
    follow_up = make.follow_up(status="ongoing", outcome="Text")
    before = db.session.scalar(select(func.count(Transaction.id)))
    follow_up.outcome = "Text"
    db.session.commit()
    assert db.session.scalar(select(func.count(Transaction.id))) == before
