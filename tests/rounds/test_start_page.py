"""The officer's start page is never empty: their boards' sub-goals, deviations, and what
others changed since the last visit."""

import re

from sqlalchemy import select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FollowUp, User
from tests.conftest import DEMO_PASSWORD
from tests.matrix.test_routes import _sub_goal


def test_demo_officer_sees_their_16_sub_goals_with_status(client, demo):
    client.login("officer", DEMO_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="board-goals-heading"') :]
    rows = re.findall(r'<tr><th scope="row"><a href="/sub-goals/\d+"><span class="code">', section)
    assert len(rows) == 16
    assert "status-cancelled" in section and "Avbruten" in section
    assert "Inga omgångar är öppna just nu." in page  # the demo's rounds are closed


def test_start_page_lists_what_others_changed_since_the_last_visit(client, demo, make):
    client.login("officer", DEMO_PASSWORD)
    first = client.get("/").get_data(as_text=True)
    assert "ditt första besök" in first
    admin = make.user("admin", display_name="Annan Administratör")
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    five_one = _sub_goal("5.1")
    for who, year in ((admin.id, 2020), (officer.id, 2019)):
        with acting_as(who, "test"):
            follow_up = db.session.scalar(
                select(FollowUp).where(FollowUp.sub_goal_id == five_one.id, FollowUp.year == year)
            )
            follow_up.outcome = "Ändrad redovisning"
            db.session.commit()
    page = client.get("/").get_data(as_text=True)
    listed = page[page.index('id="others-changed-heading"') :]
    assert "5.1 2020" in listed and "Annan Administratör" in listed
    assert "5.1 2019" not in listed  # the officer's own change
    again = client.get("/").get_data(as_text=True)
    assert "Ingen annan har ändrat" in again
