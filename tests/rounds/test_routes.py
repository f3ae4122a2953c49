import re
from datetime import date

from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import ReportingRound, Transaction
from tests.rounds.test_services import _round


def switch_user(client, username: str) -> None:
    client.post_form("/logout")
    client.login(username)


def _transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def test_start_page_shows_what_the_officers_boards_still_have_to_report(client, make):
    board, other = make.board(), make.board()
    area = make.focus_area()
    missing = make.sub_goal(focus_area=area, code="2.1", title="Kvar att göra", boards=[board])
    make.sub_goal(focus_area=area, code="2.2", title="Annan nämnds mål", boards=[other])
    _round(area.plan, 2020)
    client.login(make.user("officer", boards=[board]).username)
    page = client.get("/").get_data(as_text=True)
    assert "2.1 Kvar att göra" in page
    assert "Annan nämnds mål" not in page
    assert "2021-02-15 (passerad)" in page
    assert f"/sub-goals/{missing.id}" in page


def test_admin_opens_a_round_and_others_may_not(client, make):
    plan = make.plan()
    data = {"plan_id": plan.id, "year": 2020, "deadline": "2021-02-15"}
    client.login(make.user("auditor").username)
    assert client.post_form("/rounds", data).status_code == 403
    switch_user(client, make.user("officer", boards=[make.board()]).username)
    assert client.post_form("/rounds", data).status_code == 403
    assert db.session.scalar(select(func.count(ReportingRound.id))) == 0

    switch_user(client, make.user("admin").username)
    response = client.post_form("/rounds", data)
    assert response.status_code == 302
    db.session.expire_all()
    reporting_round = db.session.scalar(select(ReportingRound))
    assert (reporting_round.year, reporting_round.deadline) == (2020, date(2021, 2, 15))


def test_bad_round_input_is_shown_next_to_the_field(client, make):
    plan = make.plan()
    client.login(make.user("admin").username)
    response = client.post_form(
        "/rounds", {"plan_id": plan.id, "year": 2030, "deadline": "15/2"}, htmx=True
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in page
    assert 'value="15/2"' in page
    response = client.post_form(
        "/rounds", {"plan_id": plan.id, "year": 2030, "deadline": "2031-01-01"}
    )
    assert response.status_code == 422
    assert "Året måste ligga inom planens period" in response.get_data(as_text=True)


def test_round_page_shows_completeness_per_board(client, make):
    board = make.board(name="Kulturnämnden")
    area = make.focus_area()
    for code, status in (("3.1", "done"), ("3.2", "ongoing"), ("3.3", "not_started")):
        make.follow_up(
            sub_goal=make.sub_goal(focus_area=area, code=code, boards=[board]),
            year=2019,
            status=status,
        )
    make.sub_goal(focus_area=area, code="3.4", boards=[board])
    reporting_round = _round(area.plan, 2019)
    client.login(make.user("viewer").username)
    page = client.get(f"/rounds/{reporting_round.id}").get_data(as_text=True)
    row = re.search(r"Kulturnämnden</th>(.*?)</tr>", page, re.S).group(1)
    assert "2 av 4" in row
    assert 'max="4" value="2"' in row
    assert "50 %" in row
    assert "3.3, 3.4" in row


def test_closing_and_reopening_is_recorded_with_a_note(client, make):
    reporting_round = _round(make.plan(), 2019)
    client.login(make.user("admin").username)
    assert client.post_form(f"/rounds/{reporting_round.id}/close").status_code == 302
    response = client.post_form(f"/rounds/{reporting_round.id}/reopen", {"note": ""}, htmx=True)
    assert response.status_code == 422
    assert "Ange varför omgången öppnas igen." in response.get_data(as_text=True)
    before = _transactions()
    response = client.post_form(f"/rounds/{reporting_round.id}/reopen", {"note": "Sen rättelse"})
    assert response.status_code == 302
    assert _transactions() == before + 1
    note = db.session.scalar(select(Transaction.note).order_by(Transaction.id.desc()))
    assert note == "Sen rättelse"
    db.session.expire_all()
    assert db.session.get(ReportingRound, reporting_round.id).is_open


def test_officer_may_not_close_a_round(client, make):
    reporting_round = _round(make.plan(), 2019)
    client.login(make.user("officer", boards=[make.board()]).username)
    assert client.post_form(f"/rounds/{reporting_round.id}/close").status_code == 403
    assert client.get("/rounds/999").status_code == 404


def test_htmx_form_success_redirects_the_whole_page(client, make):
    reporting_round = _round(make.plan(), 2019)
    client.login(make.user("admin").username)
    response = client.post_form(f"/rounds/{reporting_round.id}/close", htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/rounds/{reporting_round.id}"


def test_closed_round_locks_follow_up_editing_for_officers_not_admins(client, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    make.follow_up(sub_goal=sub_goal, year=2019, status="ongoing")
    _round(sub_goal.plan, 2019, is_open=False)
    client.login(make.user("officer", boards=[board]).username)
    assert client.get(f"/sub-goals/{sub_goal.id}/follow-ups/2019/edit").status_code == 403
    assert client.get(f"/sub-goals/{sub_goal.id}/follow-ups/2020/edit").status_code == 200
    response = client.post_form(
        f"/sub-goals/{sub_goal.id}/follow-ups/2019/edit", {"status": "done", "lock_version": "1"}
    )
    assert response.status_code == 403
    switch_user(client, make.user("admin").username)
    assert client.get(f"/sub-goals/{sub_goal.id}/follow-ups/2019/edit").status_code == 200
