"""The change note goes into the hash-chained history, where nothing can be removed: every
form that takes one refuses an identity number by the note field, keeps what was typed and
writes nothing."""

import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import ReportingRound, Transaction

# An identity number written as the outside test wrote it: en dash with no-break spaces.
NOTE = "Begärt av 811228\u00a0\u2013\u00a09874 i telefon"


def _follow_up_edit(make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    user = make.user("officer", boards=[board])
    data = {
        "status": "ongoing",
        "outcome": "Grupperna träffades varje vecka.",
        "deviation_reason": "",
        "deviation_text": "",
        "next_steps": "Fortsätta under hösten.",
        "lock_version": "0",
    }
    url = f"/sub-goals/{sub_goal.id}/follow-ups/2018/edit"
    return user, url, data, [data["outcome"], data["next_steps"]]


def _activity_data():
    return {
        "title": "Läxhjälp på biblioteket",
        "description": "Två kvällar i veckan.",
        "planned_from_year": "2018",
        "planned_to_year": "2019",
        "responsible_unit": "Biblioteken",
        "status": "planned",
        "lock_version": "0",
    }


def _activity_new(make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    data = _activity_data()
    kept = [data["title"], data["description"], data["responsible_unit"]]
    url = f"/sub-goals/{sub_goal.id}/activities/new"
    return make.user("officer", boards=[board]), url, data, kept


def _activity_edit(make):
    board = make.board()
    activity = make.activity(sub_goal=make.sub_goal(boards=[board]))
    data = _activity_data() | {"lock_version": str(activity.lock_version)}
    kept = [data["title"], data["description"], data["responsible_unit"]]
    return make.user("officer", boards=[board]), f"/activities/{activity.id}/edit", data, kept


def _archive(make):
    activity = make.activity()
    return make.user("admin"), f"/archive/activity/{activity.id}", {}, []


def _unarchive(make):
    activity = make.activity()
    with acting_as(None, "test data"):
        activity.archive()
        db.session.commit()
    return make.user("admin"), f"/archive/activity/{activity.id}/undo", {}, []


def _round(make, is_open: bool):
    plan = make.plan()
    with acting_as(None, "test data"):
        reporting_round = ReportingRound(
            plan=plan, year=2019, deadline=date(2020, 2, 15), is_open=is_open
        )
        db.session.add(reporting_round)
        db.session.commit()
    return reporting_round


def _round_close(make):
    return make.user("admin"), f"/rounds/{_round(make, True).id}/close", {}, []


def _round_reopen(make):
    return make.user("admin"), f"/rounds/{_round(make, False).id}/reopen", {}, []


def _user_new(make):
    data = {
        "username": "kalle.k",
        "display_name": "Kalle Karlsson",
        "role": "viewer",
        "password": "ett-bra-losenord-langt",
    }
    return make.user("admin"), "/admin/users/new", data, ["kalle.k", "Kalle Karlsson"]


def _user_edit(make):
    viewer = make.user("viewer")
    data = {"display_name": "Karin Nyman", "role": "viewer"}
    return make.user("admin"), f"/admin/users/{viewer.id}/edit", data, ["Karin Nyman"]


FORMS = {
    "follow-up": _follow_up_edit,
    "new activity": _activity_new,
    "activity": _activity_edit,
    "archive": _archive,
    "unarchive": _unarchive,
    "close round": _round_close,
    "reopen round": _round_reopen,
    "new user": _user_new,
    "edit user": _user_edit,
}


def _transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("setup", FORMS.values(), ids=FORMS.keys())
def test_every_note_field_refuses_identity_numbers_by_the_field(client, make, setup, htmx):
    user, url, data, kept = setup(make)
    client.login(user.username)
    before = _transactions()
    response = client.post_form(url, data | {"note": NOTE}, htmx=htmx)
    if htmx and url.startswith("/admin/users"):
        # Account administration takes only plain form submissions (stored markup must not
        # drive an admin's browser): an htmx post is refused before anything is read.
        assert response.status_code == 400
        assert _transactions() == before
        return
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="field-error" id="note-error">(.*?)</p>', page, re.S)
    assert error and "personnummer eller samordningsnummer" in error.group(1)
    assert 'aria-invalid="true"' in page
    for value in [NOTE, *kept]:
        assert str(escape(value)) in page
    assert _transactions() == before


def test_archive_notes_are_stored_when_clean(client, make):
    user, url, data, _kept = _archive(make)
    client.login(user.username)
    response = client.post_form(url, {"note": "Dubblett av 5.11, se 2019-03-14"})
    assert response.status_code == 302
    note = db.session.scalar(select(Transaction.note).order_by(Transaction.id.desc()))
    assert note == "Dubblett av 5.11, se 2019-03-14"


def test_an_overlong_archive_note_is_refused_by_the_field(client, make):
    user, url, data, _kept = _archive(make)
    client.login(user.username)
    before = _transactions()
    response = client.post_form(url, {"note": "n" * 501})
    assert response.status_code == 422
    assert "Texten får vara högst 500 tecken." in response.get_data(as_text=True)
    assert _transactions() == before
