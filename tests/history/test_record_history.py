"""A record's history: who, when, from where, why, and a field-level diff per version."""

from sqlalchemy import func, select

from intranet.extensions import db
from intranet.history import records
from intranet.models import FollowUp, SubGoal, Transaction


def _follow_up(code: str, year: int) -> FollowUp:
    return db.session.scalar(
        select(FollowUp).join(SubGoal).where(SubGoal.code == code, FollowUp.year == year)
    )


def test_history_page_lists_versions_with_who_when_where_and_diff(client, demo):
    follow_up = _follow_up("5.1", 2020)
    client.login("auditor", password="demo-password-for-tests")
    response = client.get(f"/history/follow_up/{follow_up.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Two versions: created "ongoing" in the interim report, then "not done" a year on.
    assert page.count('class="version"') == 2
    assert "Pågår" in page and "Ej genomförd/uteblivit" in page
    assert "Demo: delrapport 2020" in page and "Demo: uppföljning 2020" in page
    assert "2020-06-15 17:00" in page  # 15:00 UTC shown in Europe/Stockholm (summer time)
    assert "2021-02-11 11:40" in page
    assert "från demo" in page
    assert '<del><span class="visually-hidden">Borttaget: </span>Pågår</del>' in page
    assert '<ins><span class="visually-hidden">Tillagt: </span>Ej genomförd/uteblivit</ins>' in page
    assert "Avvikelseorsak" in page
    as_of_link = f"/sub-goals/{follow_up.sub_goal_id}?as_of=2020-06-15T17:00"
    assert as_of_link in page
    assert "Visar läget per 2020-06-15 17:00" in client.get(as_of_link).get_data(as_text=True)

    # An htmx request gets the versions block of the same page.
    response = client.htmx_get(f"/history/follow_up/{follow_up.id}")
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="versions"')
    assert "<html" not in fragment


def test_viewers_may_not_read_history(client, make):
    make.user("viewer", username="läsaren")
    sub_goal = make.sub_goal()
    client.login("läsaren")
    assert client.get(f"/history/sub_goal/{sub_goal.id}").status_code == 403
    assert client.get(f"/history/sub_goal/{sub_goal.id}/compare?a=1&b=2").status_code == 403


def test_unknown_kind_or_record_is_404(client, make):
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    assert client.get("/history/strategy/1").status_code == 404
    assert client.get("/history/sub_goal/999999999").status_code == 404


def test_board_link_changes_show_like_a_field(client, make):
    first, second = (
        make.board(name="Kultur- och fritidsnämnden"),
        make.board(name="Barn- och ungdomsnämnden"),
    )
    sub_goal = make.sub_goal(boards=[first])
    sub_goal.set_boards([second])
    db.session.commit()
    versions = records.load_versions("sub_goal", sub_goal.id)
    entries = records.history(versions)
    newest = entries[0]
    [change] = newest.changes
    assert change.label == "Ansvarig nämnd"
    # Each board with its place: the first is the main board.
    assert change.removed == ["Kultur- och fritidsnämnden (huvudansvarig)"]
    assert change.added == ["Barn- och ungdomsnämnden (huvudansvarig)"]

    make.user("auditor", username="revisorn")
    client.login("revisorn")
    page = client.get(f"/history/sub_goal/{sub_goal.id}").get_data(as_text=True)
    assert "Borttaget: </span>Kultur- och fritidsnämnden" in page
    assert "Tillagt: </span>Barn- och ungdomsnämnden" in page


def test_membership_changes_show_in_user_history(make):
    first, second = make.board(name="Nämnd A"), make.board(name="Nämnd B")
    user = make.user("officer", boards=[first])
    user.set_boards([first, second])
    db.session.commit()
    entries = records.history(records.load_versions("user", user.id))
    assert entries[0].changes[0].label == "Medlem i nämnd"
    assert entries[0].changes[0].added == ["Nämnd B"]
    assert entries[-1].created


def test_long_text_gets_a_word_diff():
    parts = records.word_diff(
        "Arbetet har pågått under hela året med god uppslutning",
        "Arbetet har pausats under hela året med låg uppslutning",
    )
    assert ("delete", "pågått") in parts and ("insert", "pausats") in parts
    assert ("delete", "god") in parts and ("insert", "låg") in parts
    assert "".join(text for op, text in parts if op != "insert").startswith("Arbetet har pågått")


def test_compare_any_two_versions(client, make):
    follow_up = make.follow_up(status="not_started", outcome="Start")
    first_tx = db.session.scalar(select(func.max(Transaction.id)))
    follow_up.status = "ongoing"
    db.session.commit()
    follow_up.outcome = "Mitt i"
    db.session.commit()
    last_tx = db.session.scalar(select(func.max(Transaction.id)))
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    url = f"/history/follow_up/{follow_up.id}/compare"
    page = client.get(f"{url}?a={last_tx}&b={first_tx}").get_data(as_text=True)
    assert "Ej påbörjad</del>" in page and "Pågår</ins>" in page
    assert "Start</del>" in page and "Mitt i</ins>" in page
    fragment = client.htmx_get(f"{url}?a={first_tx}&b={last_tx}").get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="comparison"')
    huge = client.get(f"{url}?a=99999999999999999999999&b={first_tx}")
    assert huge.status_code == 400
    bad = client.get(f"{url}?a=x&b=1")
    assert bad.status_code == 400
    assert "Välj två versioner" in bad.get_data(as_text=True)


def test_a_save_that_changes_nothing_creates_no_version(client, make):
    admin = make.user("admin", username="chefen")
    follow_up = make.follow_up()
    transaction = db.session.get(Transaction, db.session.scalar(select(func.max(Transaction.id))))
    before = db.session.scalar(select(func.count(Transaction.id)))
    client.login("chefen")
    # Restoring the version the record already has is a save without changes.
    response = client.post_form(
        f"/history/follow_up/{follow_up.id}/restore/{transaction.id}",
        {"lock_version": follow_up.lock_version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    # Signing in changed nothing versioned either; the count is unchanged.
    assert db.session.scalar(select(func.count(Transaction.id))) == before
    assert admin.id


def test_plan_and_sub_goal_pages_link_to_history_for_readers_only(client, make):
    follow_up = make.follow_up()
    sub_goal = follow_up.sub_goal
    make.activity(sub_goal=sub_goal)
    make.user("officer", username="handläggaren", boards=sub_goal.boards)
    make.user("officer", username="grannen", boards=[make.board()])
    make.user("viewer", username="läsaren")
    client.login("handläggaren")
    page = client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
    assert f'href="/history/sub_goal/{sub_goal.id}"' in page
    assert f'href="/history/follow_up/{follow_up.id}"' in page
    assert 'href="/history/activity/' in page
    plan_page = client.get(f"/plans/{sub_goal.plan.id}").get_data(as_text=True)
    assert f'href="/history/plan/{sub_goal.plan.id}"' in plan_page
    # No link to a page that would refuse: another board's officer, and a viewer.
    for other in ("grannen", "läsaren"):
        client.post_form("/logout")
        client.login(other)
        assert "/history/" not in client.get(f"/sub-goals/{sub_goal.id}").get_data(as_text=True)
        assert "/history/" not in client.get(f"/plans/{sub_goal.plan.id}").get_data(as_text=True)
