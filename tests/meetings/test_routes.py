"""The meeting buttons in the meeting-mode matrix, and the next meeting's default "since"."""

import re

import pytest
from sqlalchemy import select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FollowUp, Meeting, User
from tests.conftest import DEMO_PASSWORD
from tests.matrix.test_changes import CHANGED
from tests.matrix.test_routes import _plan_2018, _sub_goal

START = re.compile(r'<form method="post" action="/meetings/start">')
END = re.compile(r'<form method="post" action="/meetings/(\d+)/end">')


@pytest.fixture
def meeting_url(demo):
    return f"/matrix?plan={_plan_2018().id}&meeting=1"


def _marked(page: str) -> set[tuple[int, int]]:
    return {(int(sub_goal), int(year)) for sub_goal, year, _ in CHANGED.findall(page)}


def _start(client, url):
    return client.post_form("/meetings/start", {"plan": str(_plan_2018().id), "next": url})


def _end(client, url):
    page = client.get(url).get_data(as_text=True)
    meeting_id = END.search(page).group(1)
    return client.post_form(f"/meetings/{meeting_id}/end", {"next": url})


def _save(code: str, year: int, **values) -> None:
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    with acting_as(officer.id, "test"):
        sub_goal_id = _sub_goal(code).id
        follow_up = db.session.scalar(
            select(FollowUp).where(FollowUp.sub_goal_id == sub_goal_id, FollowUp.year == year)
        )
        for name, value in values.items():
            setattr(follow_up, name, value)
        db.session.commit()


def test_start_save_end_and_the_next_meeting_marks_exactly_that_change(client, meeting_url):
    _save("4.1", 2019, outcome="Ändrat före mötet.")  # before the meeting: never marked
    client.login("viewer", DEMO_PASSWORD)
    page = client.get(meeting_url).get_data(as_text=True)
    assert START.search(page) and not END.search(page) and "Inget möte pågår." in page
    assert _marked(page) == set()  # no meeting has ended yet: nothing to compare with

    response = _start(client, meeting_url)
    assert response.status_code == 302 and response.location == meeting_url
    page = client.get(meeting_url).get_data(as_text=True)
    assert "Mötet är startat." in page and "Mötet pågår sedan" in page and END.search(page)
    assert not START.search(page)

    _save("5.1", 2020, status="done", outcome="Klart under mötet.")
    response = _end(client, meeting_url)
    assert response.status_code == 302 and response.location == meeting_url
    page = client.get(meeting_url).get_data(as_text=True)
    assert "Mötet är avslutat." in page and START.search(page)
    assert _marked(page) == {(_sub_goal("5.1").id, 2020)}
    assert "Ändringar sedan förra mötet" in page
    # The viewer sees what changed, not who changed it or when: that is history.
    assert "Demo Tjänsteperson" not in page
    officer = client.application.test_client()
    officer.login("officer", DEMO_PASSWORD)
    listed = officer.get(meeting_url).get_data(as_text=True)
    assert "Demo Tjänsteperson" in listed[listed.index('class="changes-list"') :]

    # Asked for nothing, meeting mode marks nothing; another moment is the past: refused to
    # the viewer, marked as asked for who may read the past.
    assert _marked(client.get(meeting_url + "&since=none").get_data(as_text=True)) == set()
    assert client.get(meeting_url + "&since=2020-01-01").status_code == 403
    yesterday = officer.get(meeting_url + "&since=2020-01-01").get_data(as_text=True)
    assert (_sub_goal("4.1").id, 2019) in _marked(yesterday)


def test_outside_meeting_mode_the_last_meeting_is_asked_for(client, meeting_url):
    client.login("officer", DEMO_PASSWORD)
    plain = meeting_url.replace("&meeting=1", "")
    refused = client.get(plain + "&since=last")
    assert refused.status_code == 422
    assert "Inget möte har avslutats ännu." in refused.get_data(as_text=True)
    _start(client, meeting_url)
    _save("4.5", 2021, outcome="Ny redovisning.")
    _end(client, meeting_url)
    assert _marked(client.get(plain).get_data(as_text=True)) == set()
    assert _marked(client.get(plain + "&since=last").get_data(as_text=True)) == {
        (_sub_goal("4.5").id, 2021)
    }


def test_pressing_start_or_end_twice_is_said_not_failed(client, meeting_url):
    client.login("officer", DEMO_PASSWORD)
    _start(client, meeting_url)
    again = _start(client, meeting_url)
    assert again.status_code == 302
    assert "Ett möte pågår redan" in client.get(meeting_url).get_data(as_text=True)
    meeting = db.session.scalar(select(Meeting))
    assert db.session.scalar(select(db.func.count(Meeting.id))) == 1
    for expected in ("Mötet är avslutat.", "Mötet är redan avslutat."):
        response = client.post_form(f"/meetings/{meeting.id}/end", {"next": meeting_url})
        assert response.status_code == 302
        assert expected in client.get(meeting_url).get_data(as_text=True)


def test_only_the_starter_or_an_admin_sees_end_and_may_end(app, client, meeting_url, make):
    client.login("viewer", DEMO_PASSWORD)
    _start(client, meeting_url)
    meeting = db.session.scalar(select(Meeting))
    other = app.test_client()
    other.login(make.user("officer").username)
    page = other.get(meeting_url).get_data(as_text=True)
    assert "Mötet pågår sedan" in page and not END.search(page)
    response = other.post_form(f"/meetings/{meeting.id}/end", {"next": meeting_url})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).is_running
    admin = app.test_client()
    admin.login(make.user("admin").username)
    assert END.search(admin.get(meeting_url).get_data(as_text=True))
    assert END.search(client.get(meeting_url).get_data(as_text=True))
    response = admin.post_form(f"/meetings/{meeting.id}/end", {"next": meeting_url})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Meeting, meeting.id).is_running


def test_auditors_see_no_buttons_and_are_refused(client, meeting_url, make):
    auditor = make.user("auditor")
    client.login(auditor.username)
    page = client.get(meeting_url).get_data(as_text=True)
    assert not START.search(page) and not END.search(page)
    assert _start(client, meeting_url).status_code == 403
    assert db.session.scalar(select(Meeting)) is None


@pytest.mark.parametrize("plan", ["999999", "abc", "1" * 30])
def test_an_unknown_plan_is_not_found(client, meeting_url, plan):
    client.login("officer", DEMO_PASSWORD)
    response = client.post_form("/meetings/start", {"plan": plan, "next": meeting_url})
    assert response.status_code == 404


def test_next_never_leaves_the_site(client, meeting_url):
    client.login("officer", DEMO_PASSWORD)
    response = client.post_form(
        "/meetings/start", {"plan": "", "next": "https://example.org/matrix"}
    )
    assert response.status_code == 302 and response.location.startswith("/matrix?")
    assert db.session.scalar(select(Meeting)).plan_id is None


def test_since_the_last_meeting_is_each_users_own(app, client, meeting_url, make):
    """Two viewers share a scope (and the rendered-matrix cache), not their last meeting."""
    chair, member = client, app.test_client()
    chair.login("viewer", DEMO_PASSWORD)
    member.login(make.user("viewer").username)
    _start(chair, meeting_url)
    member.get(meeting_url)  # the member is at the first meeting
    member.get(meeting_url)  # and still is: taking part is remembered once
    _save("4.2", 2020, outcome="Under det första mötet.")
    _end(chair, meeting_url)
    _start(chair, meeting_url)  # the member misses the second one
    _save("4.6", 2021, outcome="Under det andra mötet.")
    _end(chair, meeting_url)

    first, second = (_sub_goal("4.2").id, 2020), (_sub_goal("4.6").id, 2021)
    chair.get(meeting_url)  # "the meeting has ended", shown once (such a page is not cached)
    assert _marked(member.get(meeting_url).get_data(as_text=True)) == {first, second}
    assert _marked(chair.get(meeting_url).get_data(as_text=True)) == {second}
    # Someone at no meeting at all counts from the last one.
    someone = app.test_client()
    someone.login("admin", DEMO_PASSWORD)
    assert _marked(someone.get(meeting_url).get_data(as_text=True)) == {second}
