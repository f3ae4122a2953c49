"""A closed round's year takes no more closing comments from officers; admins may still."""

from tests.rounds.test_services import _round


def _comment(client, plan, board, year, text="Kommentar."):
    return client.post_form(
        f"/plans/{plan.id}/report/comments",
        {"board_id": board.id, "year": year, "text": text, "lock_version": "0"},
    )


def test_officers_write_no_closing_comments_for_a_closed_rounds_year(app, client, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    plan = sub_goal.plan
    _round(plan, 2019, is_open=False)
    _round(plan, 2020, is_open=True)
    client.login(make.user("officer", boards=[board]).username)

    page = client.get(f"/plans/{plan.id}/report?board_id={board.id}&year=2019")
    assert "Spara kommentarerna" not in page.get_data(as_text=True)
    assert _comment(client, plan, board, 2019).status_code == 403
    # The open round's year, a year without a round and the whole period stay open.
    for year in (2020, 2021, ""):
        assert _comment(client, plan, board, year).status_code == 302, year

    admin = app.test_client()
    admin.login(make.user("admin").username)
    assert _comment(admin, plan, board, 2019).status_code == 302
