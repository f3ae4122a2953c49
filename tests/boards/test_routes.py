"""Boards and reorganisations through the web, and main/involved boards on the pages."""

from datetime import timedelta

from sqlalchemy import select

from intranet.core.clock import local_day, utc_now
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Board, SubGoal, Transaction, User


def _board(name: str) -> Board | None:
    db.session.expire_all()
    return db.session.scalar(select(Board).where(Board.name == name))


def test_admin_creates_renames_and_archives_a_company(client, make):
    client.login(make.user("admin").username)
    response = client.post_form(
        "/boards/new",
        {"name": "Lejonfastigheter AB", "kind": "company", "administration": "", "note": "Nytt"},
    )
    assert response.status_code == 302
    company = _board("Lejonfastigheter AB")
    assert company.kind == "company" and company.kind_label == "Bolag"
    response = client.post_form(
        f"/boards/{company.id}/edit",
        {"name": "Lejon AB", "kind": "company", "administration": "Bolagsförvaltningen"},
    )
    assert response.status_code == 302 and _board("Lejon AB").id == company.id
    page = client.get("/boards").get_data(as_text=True)
    assert "Lejon AB" in page and "Bolagsförvaltningen" in page
    assert client.post_form(f"/boards/{company.id}/archive").status_code == 302
    assert _board("Lejon AB").is_archived
    history = client.get(f"/history/board/{company.id}").get_data(as_text=True)
    assert "Lejonfastigheter AB" in history


def test_a_taken_name_is_explained_next_to_the_field(client, make):
    make.board(name="Kulturnämnden")
    client.login(make.user("admin").username)
    response = client.post_form("/boards/new", {"name": "Kulturnämnden", "kind": "board"})
    assert response.status_code == 422
    assert "Det finns redan en nämnd eller ett bolag med det namnet." in response.get_data(
        as_text=True
    )


def test_a_board_still_responsible_is_not_archived(client, make):
    board = make.board(name="Nämnd A")
    make.sub_goal(boards=[board])
    client.login(make.user("admin").username)
    response = client.post_form(f"/boards/{board.id}/archive", follow_redirects=True)
    assert "ansvarar fortfarande för delmål" in response.get_data(as_text=True)
    assert not _board("Nämnd A").is_archived


def test_a_merger_through_the_form_and_the_pages_before_and_after(client, make):
    old, new, involved = (
        make.board(name="Gamla nämnden"),
        make.board(name="Nya nämnden"),
        (make.board(name="Medverkande bolaget", kind="company")),
    )
    # Recorded three days ago, so that the page as of yesterday has something to show.
    with acting_as(None, "test data", issued_at=utc_now() - timedelta(days=3)):
        sub_goal = SubGoal(focus_area=make.focus_area(), code="2.1", title="Delmål")
        db.session.add(sub_goal)
        sub_goal.set_boards([old, involved])
        db.session.commit()
    officer = make.user("officer", boards=[old])
    client.login(make.user("admin").username)
    before = (local_day() - timedelta(days=1)).isoformat()
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert '<strong class="board-main">Gamla nämnden</strong> (huvudansvarig)' in page
    assert "Medverkande bolaget (bolag)" in page

    response = client.post_form(
        f"/boards/{old.id}/reorganise",
        {
            "valid_from": local_day().isoformat(),
            "target": str(new.id),
            "memberships": "move",
            "archive_source": "y",
            "note": "Sammanslagning enligt KF-beslut",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.get(
            Transaction, db.session.scalar(select(Transaction.id).order_by(Transaction.id.desc()))
        ).note
        == "Sammanslagning enligt KF-beslut"
    )
    assert [b.name for b in db.session.get(SubGoal, sub_goal.id).boards] == [
        "Nya nämnden",
        "Medverkande bolaget",
    ]
    assert _board("Gamla nämnden").is_archived
    assert [b.name for b in db.session.get(User, officer.id).boards] == ["Nya nämnden"]

    now = client.get(f"/plans/{sub_goal.plan.id}").get_data(as_text=True)
    assert '<strong class="board-main">Nya nämnden</strong> (huvudansvarig)' in now
    assert "Gamla nämnden" not in now
    then = client.get(f"/plans/{sub_goal.plan.id}?as_of={before}").get_data(as_text=True)
    assert '<strong class="board-main">Gamla nämnden</strong> (huvudansvarig)' in then
    today = local_day().isoformat()
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert f"<li>Gamla nämnden till {today}</li><li>Nya nämnden från {today}</li>" in page
    matrix = client.get(f"/matrix.csv?plan={sub_goal.plan.id}").get_data(as_text=True)
    assert "Nya nämnden (huvudansvarig)" in matrix


def test_a_reorganisation_without_note_or_date_keeps_what_was_typed(client, make):
    old, new = make.board(name="Gamla nämnden"), make.board(name="Nya nämnden")
    sub_goal = make.sub_goal(boards=[old])
    client.login(make.user("admin").username)
    response = client.post_form(
        f"/boards/{old.id}/reorganise",
        {"valid_from": "2026-13-01", f"move_{sub_goal.id}": str(new.id), "memberships": "move"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in page
    assert f'<option selected value="{new.id}">' in page
    response = client.post_form(
        f"/boards/{old.id}/reorganise",
        {"valid_from": "2026-01-01", f"move_{sub_goal.id}": str(new.id), "memberships": "move"},
    )
    assert response.status_code == 422
    assert "Beskriv omorganisationen" in response.get_data(as_text=True)
    assert [b.name for b in db.session.get(SubGoal, sub_goal.id).boards] == ["Gamla nämnden"]


def test_officers_may_not_open_the_board_pages(client, make):
    board = make.board()
    client.login(make.user("officer", boards=[board]).username)
    assert client.get("/boards").status_code == 403
    assert client.get(f"/boards/{board.id}/reorganise").status_code == 403
    assert "/boards" not in client.get("/plans").get_data(as_text=True)


def test_an_involved_board_reads_and_comments_but_does_not_report(client, make):
    main, involved = make.board(name="Huvudnämnden"), make.board(name="Medverkande nämnden")
    sub_goal = make.sub_goal(boards=[main, involved], code="3.1")
    make.follow_up(sub_goal=sub_goal)
    officer = make.user("officer", boards=[involved])
    client.login(officer.username)
    start = client.get("/").get_data(as_text=True)
    assert "3.1" in start and "<td>Medverkande</td>" in start
    year = sub_goal.plan.start_year
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert "Medverkande nämnden" in page
    assert f"/sub-goals/{sub_goal.id}/follow-ups/{year}/edit" not in page
    assert f"/sub-goals/{sub_goal.id}/activities/new" not in page
    assert client.get(f"/sub-goals/{sub_goal.id}/follow-ups/{year}/edit").status_code == 403
    assert client.get(f"/sub-goals/{sub_goal.id}/activities/new").status_code == 403
    assert client.get(f"/history/sub_goal/{sub_goal.id}").status_code == 200
    # Its comments are its own board's closing comments, on a report that holds the sub-goal.
    report = client.get(f"/plans/{sub_goal.plan.id}/report?board_id={involved.id}")
    assert "3.1" in report.get_data(as_text=True)
    response = client.post_form(
        f"/plans/{sub_goal.plan.id}/report/comments",
        {"board_id": str(involved.id), "text": "Vi medverkar.", "lock_version": "0"},
    )
    assert response.status_code == 302
