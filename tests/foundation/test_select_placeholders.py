"""Every select shows at most one empty placeholder option, and only as its first option:
the new-user role select once had two (the form's choices and the form class each added one)."""

import re

from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Board, FocusArea, FollowUp, Plan, SubGoal, User
from intranet.web.forms import with_placeholder
from tests.conftest import DEMO_PASSWORD

_SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)
_OPTION_VALUE = re.compile(r'<option\b[^>]*?value="([^"]*)"')


def _selects(html: str) -> list[list[str]]:
    return [_OPTION_VALUE.findall(body) for body in _SELECT.findall(html)]


def test_with_placeholder_keeps_exactly_one_empty_choice():
    choices = with_placeholder("Välj", [("", "Välj roll"), ("a", "A"), ("", "Tom"), ("b", "B")])
    assert [choice.value for choice in choices] == ["", "a", "b"]
    assert choices[0].label == "Välj"


def test_every_form_select_has_at_most_one_placeholder_first(client, demo):
    client.login("admin", DEMO_PASSWORD)
    plan = db.session.scalar(select(Plan).order_by(Plan.id))
    focus_area = db.session.scalar(select(FocusArea).where(FocusArea.plan_id == plan.id))
    sub_goal = db.session.scalar(select(SubGoal).order_by(SubGoal.id))
    user = db.session.scalar(select(User).where(User.username == "officer"))
    board = db.session.scalar(select(Board).order_by(Board.id))
    follow_up = db.session.scalar(select(FollowUp).order_by(FollowUp.id))
    urls = [
        "/admin/users/new",
        f"/admin/users/{user.id}/edit",
        "/plans/new",
        f"/plans/{plan.id}/edit",
        f"/focus-areas/{focus_area.id}/sub-goals/new",
        f"/sub-goals/{sub_goal.id}/edit",
        "/rounds",
        "/boards/new",
        f"/boards/{board.id}/edit",
        f"/boards/{board.id}/reorganise",
        f"/sub-goals/{follow_up.sub_goal_id}/follow-ups/{follow_up.year}/edit",
    ]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for values in _selects(response.get_data(as_text=True)):
            empty = [index for index, value in enumerate(values) if value == ""]
            assert empty in ([], [0]), (url, values)
            checked += 1
    assert checked >= 8


def test_the_new_user_role_select_has_one_placeholder_and_no_role_chosen(client, make):
    client.login(make.user("admin").username)
    page = client.get("/admin/users/new").get_data(as_text=True)
    role = re.search(r'<select\b[^>]*name="role"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert _OPTION_VALUE.findall(role) == ["", "admin", "officer", "auditor", "viewer"]
    assert "selected" not in role.split("</option>")[1]
