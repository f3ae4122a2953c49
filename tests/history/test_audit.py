"""The global audit log: every transaction, newest first, filtered, keyset-paginated, CSV."""

import csv
import io
import re
from datetime import datetime

from sqlalchemy import func, select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.history import queries
from intranet.models import Board, FollowUp, Plan, SubGoal, Transaction, User
from tests.conftest import DEMO_PASSWORD

ROW = re.compile(r'<tr id="tx-(\d+)">')


def _page_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page = response.get_data(as_text=True)
    ids = [int(value) for value in ROW.findall(page)]
    following = re.search(r'rel="next" href="([^"]+)"', page)
    return ids, following.group(1).replace("&amp;", "&") if following else None


def test_keyset_pages_have_no_duplicates_or_gaps(client, make):
    follow_up = make.follow_up()
    for number in range(55):
        with acting_as(None, f"ändring {number}"):
            follow_up.outcome = f"Text {number}"
            db.session.commit()
    all_ids = db.session.scalars(select(Transaction.id).order_by(Transaction.id.desc())).all()
    assert len(all_ids) > queries.PER_PAGE
    make.user("auditor", username="revisorn")
    client.login("revisorn")

    seen, url, pages = [], "/audit", 0
    while url:
        ids, url = _page_ids(client, url)
        assert len(ids) <= queries.PER_PAGE
        seen.extend(ids)
        pages += 1
    expected = db.session.scalars(select(Transaction.id).order_by(Transaction.id.desc())).all()
    assert seen == expected  # newest first, each exactly once
    assert pages == -(-len(expected) // queries.PER_PAGE)


def test_keyset_pages_with_filters_walk_every_match_once(make):
    follow_up = make.follow_up()
    for number in range(13):
        with acting_as(None, "jämn" if number % 2 else "udda"):
            follow_up.outcome = f"Text {number}"
            db.session.commit()
    filters = queries.parse_filters({"q": "jämn"})
    seen, before = [], None
    while True:
        page, before = queries.audit_page(filters, before, per_page=2)
        seen += [transaction.id for transaction in page]
        if before is None:
            break
    expected = db.session.scalars(
        select(Transaction.id).where(Transaction.note == "jämn").order_by(Transaction.id.desc())
    ).all()
    assert seen == expected and len(expected) == 6


def test_a_deep_page_costs_the_same_number_of_queries(app, make):
    follow_up = make.follow_up()
    for number in range(30):
        follow_up.outcome = f"Text {number}"
        db.session.commit()
    from sqlalchemy import event

    def count_queries(before):
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            queries.audit_page(queries.AuditFilters(), before)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    newest = db.session.scalar(select(func.max(Transaction.id)))
    db.session.expire_all()
    first = count_queries(None)
    db.session.expire_all()
    deep = count_queries(newest - 25)
    assert first == deep


def test_filters_by_user_text_kind_board_plan_and_dates(client, demo):
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    social = db.session.scalar(select(Board).where(Board.name == "Social- och omsorgsnämnden"))
    plan = db.session.scalar(select(Plan).where(Plan.start_year == 2018))

    def ids(**args):
        filters = queries.parse_filters({key: str(value) for key, value in args.items()})
        assert not filters.errors
        rows, _ = queries.audit_page(filters, per_page=1000)
        return rows

    everything = ids()
    by_officer = ids(user=officer.id)
    assert by_officer and all(row.user_id == officer.id for row in by_officer)
    assert len(by_officer) < len(everything)

    interim = ids(q="delrapport 2020")
    assert [row.note for row in interim] == ["Demo: delrapport 2020"]
    # Text in changed values, not only in notes.
    assert ids(q="Skäggetorp")

    follow_up_transactions = ids(kind="follow_up")
    assert follow_up_transactions and len(follow_up_transactions) < len(everything)

    in_plan = ids(plan=plan.id)
    assert any(row.note == "Demo: handlingsplan 2018–2021" for row in in_plan)
    assert all("2012–2015" not in (row.note or "") for row in in_plan)
    assert ids(board=social.id)

    in_2020 = ids(**{"from": "2020-01-01", "to": "2020-12-31"})
    assert {row.note for row in in_2020} == {"Demo: uppföljning 2019", "Demo: delrapport 2020"}
    assert all(datetime(2019, 12, 31) < row.issued_at < datetime(2021, 1, 1) for row in in_2020)


def test_audit_page_rows_name_changed_records_with_links(client, demo):
    client.login("auditor", password=DEMO_PASSWORD)
    page = client.get("/audit?q=delrapport+2020").get_data(as_text=True)
    follow_up = db.session.scalar(
        select(FollowUp).join(SubGoal).where(SubGoal.code == "5.1", FollowUp.year == 2020)
    )
    assert f'href="/history/follow_up/{follow_up.id}#version-' in page
    assert "Uppföljning: <a" in page and ">Delmål 5.1, 2020</a>" in page
    fragment = client.htmx_get("/audit?q=delrapport").get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="results"')

    # The CSV export applies the same filters.
    response = client.get("/audit.csv?q=uppf%C3%B6ljning+2020")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "transaktion"
    assert rows[0][2:4] == ["användarnamn", "namn vid ändringen"]
    notes = [row[5] for row in rows[1:]]
    assert "Demo: uppföljning 2020" in notes
    assert all("2020" in note for note in notes)


def test_bad_filters_give_a_message_not_an_error(client, make):
    make.user("admin", username="chefen")
    client.login("chefen")
    response = client.get("/audit?from=2020-13-45&user=abc")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in page
    assert client.get("/audit?before=notanumber").status_code == 200
    assert client.get("/audit?before=99999999999999999999999").status_code == 200
    assert client.get("/audit?user=99999999999999&board=%C2%B2").status_code == 400


def test_audit_log_is_for_admins_and_auditors(client, make):
    make.user("officer", username="handläggaren")
    client.login("handläggaren")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit.csv").status_code == 403
    assert "Granskningslogg" not in client.get("/plans").get_data(as_text=True)


def test_main_menu_has_the_audit_log_for_auditors(client, make):
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    page = client.get("/plans").get_data(as_text=True)
    assert 'href="/audit"' in page and "Granskningslogg" in page


def test_board_and_plan_filters_follow_the_records_they_own(make):
    ours, theirs = make.board(), make.board()
    our_follow_up = make.follow_up(sub_goal=make.sub_goal(boards=[ours]))
    their_follow_up = make.follow_up(sub_goal=make.sub_goal(boards=[theirs]))
    with acting_as(None, "vår ändring"):
        our_follow_up.outcome = "Ny text"
        db.session.commit()
    with acting_as(None, "deras ändring"):
        their_follow_up.outcome = "Ny text"
        db.session.commit()

    def notes(**args):
        filters = queries.parse_filters({key: str(value) for key, value in args.items()})
        rows, _ = queries.audit_page(filters, per_page=1000)
        return {row.note for row in rows}

    assert "vår ändring" in notes(board=ours.id)
    assert "deras ändring" not in notes(board=ours.id)
    assert "deras ändring" in notes(board=theirs.id)
    our_plan = our_follow_up.sub_goal.plan.id
    assert "vår ändring" in notes(plan=our_plan)
    assert "deras ändring" not in notes(plan=our_plan)
    assert notes(kind="board") == {"test data"}


def test_audit_log_names_the_username_and_the_display_name_at_the_time(client, make):
    """Two people of the same name are told apart by their usernames, and a renamed
    user's earlier changes keep the name they had when they made them."""
    follow_up = make.follow_up()
    first = make.user("admin", username="kim.a", display_name="Kim Andersson")
    second = make.user("admin", username="kim.b", display_name="Kim Andersson")
    made = {}
    for user, text in ((first, "av första Kim"), (second, "av andra Kim")):
        with acting_as(user.id, text):
            follow_up.outcome = text
            db.session.commit()
        made[text] = db.session.scalar(select(func.max(Transaction.id)))
    with acting_as(None, "byter namn"):
        first.display_name = "Kim Berg"
        db.session.commit()
    with acting_as(first.id, "efter namnbytet"):
        follow_up.outcome = "efter namnbytet"
        db.session.commit()
    made["efter namnbytet"] = db.session.scalar(select(func.max(Transaction.id)))
    make.user("auditor", username="revisorn")
    client.login("revisorn")

    page = client.get("/audit").get_data(as_text=True)

    def row(transaction_id):
        match = re.search(rf'<tr id="tx-{transaction_id}">(.*?)</tr>', page, re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))

    assert "Kim Andersson (kim.a)" in row(made["av första Kim"])
    assert "Kim Andersson (kim.b)" in row(made["av andra Kim"])
    assert "Kim Berg (kim.a)" in row(made["efter namnbytet"])
    # The user filter tells them apart too.
    assert ">Kim Andersson (kim.b)</option>" in page and ">Kim Berg (kim.a)</option>" in page

    text = client.get("/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows[str(made["av första Kim"])][2:4] == ["kim.a", "Kim Andersson"]
    assert rows[str(made["av andra Kim"])][2:4] == ["kim.b", "Kim Andersson"]
    assert rows[str(made["efter namnbytet"])][2:4] == ["kim.a", "Kim Berg"]
    assert rows[str(made["efter namnbytet"])][5] == "efter namnbytet"

    # The record's own history names them the same way.
    history = re.sub(
        r"\s+", " ", client.get(f"/history/follow_up/{follow_up.id}").get_data(as_text=True)
    )
    assert 'Kim Andersson <span class="username">(kim.a)</span>' in history
    assert 'Kim Berg <span class="username">(kim.a)</span>' in history


def test_audit_page_queries_stay_constant_however_many_authors(client, make):
    """The names at the time cost one query per page, not one per transaction or user."""
    from sqlalchemy import event

    follow_up = make.follow_up()
    authors = [make.user("officer", display_name=f"Person {n}") for n in range(12)]
    make.user("auditor", username="revisorn")
    # Page 2: twelve changes by twelve people (and the test data's own transactions);
    # page 1: a full page of changes by one person.
    for number, author in enumerate(authors + [authors[0]] * queries.PER_PAGE):
        with acting_as(author.id, f"ändring {number}"):
            follow_up.outcome = f"Text {number}"
            db.session.commit()
    page_two = db.session.scalar(select(func.max(Transaction.id))) - queries.PER_PAGE + 1
    client.login("revisorn")

    def statements(url):
        count = []
        listener = lambda *args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = client.get(url).get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(count), page

    first, first_page = statements("/audit")
    second, second_page = statements(f"/audit?before={page_two}")
    assert first_page.count('class="username"') == queries.PER_PAGE
    assert second_page.count('class="username"') == len(authors)
    assert first == second


def test_audit_dates_at_the_edges_are_explained_not_overflowed(client, make):
    make.user("auditor", username="revisorn")
    client.login("revisorn")
    for url in ("/audit?to=9999-12-31", "/audit?from=9999-12-31", "/audit.csv?to=9999-12-31"):
        assert client.get(url).status_code == 200, url
    for url in ("/audit?from=0001-01-01", "/audit?to=0001-01-01"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Ange ett datum från och med 1900-01-01." in response.get_data(as_text=True)
    assert client.get("/audit.csv?from=0001-01-01").status_code == 400
