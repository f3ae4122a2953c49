"""Who sees the past on the matrix: every parameter that reads it follows the `as_of` rule,
authors and times only where the reader may read the record's history, and no 304 for a
request the full path refuses or for a page that names people."""

import re
from datetime import timedelta

import pytest

from intranet.core import clock
from intranet.core.numbers import parse_id
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.matrix.changes import changes_since
from intranet.matrix.conditional import SCOPE_KEY, _validators
from intranet.models import Meeting, Transaction
from intranet.web.i18n import locale_for
from tests.matrix.test_routes import count_queries

AUTHOR = "Unik Författarsson"
CHANGED = re.compile(
    r'id="cell-(\d+)-(\d{4})"><button class="[^"]*\bc\b[^"]*" data-changed="([^"]*)"'
)


def _today() -> str:
    return clock.today().isoformat()


def _yesterday() -> str:
    return (clock.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def world(make):
    """Two boards' sub-goals in one plan, each follow-up changed today by one author."""
    own, other = make.board(), make.board()
    plan = make.plan()
    area = make.focus_area(plan=plan)
    ours = make.sub_goal(boards=[own], focus_area=area)
    theirs = make.sub_goal(boards=[other], focus_area=area)
    follow_ups = [make.follow_up(sub_goal=sub_goal) for sub_goal in (ours, theirs)]
    author = make.user("admin", display_name=AUTHOR, username="unikforf")
    then = db.session.query(db.func.max(Transaction.id)).scalar()
    with acting_as(author.id, "test"):
        for follow_up in follow_ups:
            follow_up.status = "done"
        db.session.commit()
    users = {
        "admin": make.user("admin"),
        "auditor": make.user("auditor"),
        "officer": make.user("officer", boards=[own]),
        "viewer": make.user("viewer"),
    }
    return {
        "plan": plan,
        "ours": ours,
        "theirs": theirs,
        "then": then,
        "author": author,
        "users": users,
        "url": f"/matrix?plan={plan.id}",
    }


def _client(app, user):
    client = app.test_client()
    client.login(user.username)
    return client


PAST_URLS = ["/matrix", "/matrix.csv", "/matrix.xlsx"]


@pytest.mark.parametrize("path", PAST_URLS)
@pytest.mark.parametrize("since", ["yesterday", "igår", "9999-12-31", "2020-01-01T10:00"])
def test_a_viewer_asking_since_a_moment_is_refused_like_as_of(app, client, world, path, since):
    client.login(world["users"]["viewer"].username)
    value = _yesterday() if since == "yesterday" else since
    assert client.get(f"{path}?plan={world['plan'].id}&since={value}").status_code == 403


@pytest.mark.parametrize("role", ["admin", "auditor", "officer"])
def test_past_readers_may_ask_since_a_moment(app, world, role):
    client = _client(app, world["users"][role])
    response = client.get(f"{world['url']}&since={_yesterday()}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["admin", "auditor", "officer", "viewer"])
def test_the_date_field_is_offered_only_to_who_may_use_it(app, world, role):
    """The filter asks for a date only from someone allowed to ask for it; a viewer typing
    one would meet a refusal."""
    page = _client(app, world["users"][role]).get(world["url"]).get_data(as_text=True)
    assert ('id="filter-since"' in page) == (role != "viewer")


@pytest.mark.parametrize("since", ["last", "none", ""])
def test_a_viewer_keeps_the_meeting_marks_that_name_no_moment(client, world, since):
    client.login(world["users"]["viewer"].username)
    response = client.get(f"{world['url']}&meeting=1&since={since}")
    # "last" before any meeting has ended is explained next to the field: asked, not refused.
    assert response.status_code == (422 if since == "last" else 200)


def _marks(page: str) -> dict[int, str]:
    return {int(sub_goal): text for sub_goal, _year, text in CHANGED.findall(page)}


def test_authors_and_times_only_where_the_reader_may_read_the_history(app, world):
    url = f"{world['url']}&since={_yesterday()}"
    ours, theirs = world["ours"].id, world["theirs"].id
    for role in ("admin", "auditor"):
        page = _client(app, world["users"][role]).get(url).get_data(as_text=True)
        marks = _marks(page)
        assert set(marks) == {ours, theirs}
        assert all(AUTHOR in text for text in marks.values()), role
        assert page.count(AUTHOR) == 4  # two marks, two rows of the changes list
    page = _client(app, world["users"]["officer"]).get(url).get_data(as_text=True)
    marks = _marks(page)
    assert set(marks) == {ours, theirs}  # what changed is the matrix, not history
    assert AUTHOR in marks[ours]
    assert AUTHOR not in marks[theirs] and _today() not in marks[theirs]
    assert page.count(AUTHOR) == 2  # their own board's mark and its row in the list


def test_the_meeting_marks_a_viewer_sees_name_no_one(app, make, world):
    url = f"{world['url']}&meeting=1"
    ended = make.meeting(plan_id=world["plan"].id, started_by_id=world["author"].id)
    with acting_as(world["author"].id, "test"):
        ended.ended_at = ended.started_at
        db.session.commit()
    with acting_as(world["author"].id, "test"):
        for sub_goal in (world["ours"], world["theirs"]):
            sub_goal.follow_ups[0].status = "ongoing"
        db.session.commit()
    make.meeting(plan_id=world["plan"].id, started_by_id=world["author"].id)  # running
    viewer = _client(app, world["users"]["viewer"])
    response = viewer.get(url)
    page = response.get_data(as_text=True)
    assert db.session.query(Meeting).count() == 2
    assert set(_marks(page)) == {world["ours"].id, world["theirs"].id}
    assert AUTHOR not in page and "unikforf" not in page
    # What changed and what it is now, never what it was.
    assert "Status då" not in page
    assert "Mötet pågår sedan" in page
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"]
    # An officer at the same meeting sees their board's author: that page is not kept.
    response = _client(app, world["users"]["officer"]).get(url)
    assert AUTHOR in response.get_data(as_text=True)
    assert "Status då" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_changes_name_no_one_to_a_viewer_in_a_constant_few_queries(app_context, world):
    ids = [world["ours"].id, world["theirs"].id]
    for role, queries in (("viewer", 2), ("auditor", 7), ("officer", 7)):
        reader = world["users"][role]
        assert reader.role and reader.is_active and reader.board_ids is not None  # as signed in
        with count_queries() as statements:
            found = changes_since(world["then"], ids, range(2018, 2022), reader)
        assert len(statements) <= queries, (role, statements)
        attributed = {key[0] for key, change in found.items() if change.attributed}
        named = {key[0] for key, change in found.items() if change.changed_by}
        expected = {"viewer": set(), "auditor": set(ids), "officer": {ids[0]}}[role]
        assert attributed == named == expected, role
        assert all(change.changed_at is None for change in found.values() if not change.attributed)
        # The status before is the past: withheld from a viewer, given to past readers.
        before = {change.before_status for change in found.values()}
        assert before == ({None} if role == "viewer" else {"ongoing"}), role


def _forged_etag(app, client, url: str, kind: str = "page") -> str:
    """The validator the app would give `url` for this session: what a client that knows
    the digest's parts (or saw it once) could send."""
    with client.session_transaction() as session:
        entry = dict(session[SCOPE_KEY])
        token = session["csrf_token"]
        user_id = parse_id(session["_user_id"].partition(":")[0])
    with app.test_request_context(url):
        language = locale_for(entry.get("locale") or None)
        _, etag = _validators(kind, tuple(entry["head"]), entry["scope"], language, user_id, token)
    return f'"{etag}"'


@pytest.mark.parametrize("parameter", ["as_of", "since"])
def test_a_valid_etag_never_gets_a_refused_request_a_304(app, client, world, parameter):
    client.login(world["users"]["viewer"].username)
    assert client.get(world["url"]).status_code == 200  # the session's scope and token
    url = f"{world['url']}&{parameter}={_today()}"
    etag = _forged_etag(app, client, url)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 403
    fragment = client.get(
        url,
        headers={"If-None-Match": _forged_etag(app, client, url, "fragment"), "HX-Request": "true"},
    )
    assert fragment.status_code == 403


def test_a_page_naming_people_is_never_revalidated(app, world):
    client = _client(app, world["users"]["officer"])
    url = f"{world['url']}&since={_yesterday()}"
    first = client.get(url)
    assert first.headers["Cache-Control"] == "no-store" and "ETag" not in first.headers
    response = client.get(url, headers={"If-None-Match": _forged_etag(app, client, url)})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_past_reader_still_revalidates_as_of_early(app, world):
    client = _client(app, world["users"]["auditor"])
    url = f"{world['url']}&as_of={_today()}"
    etag = client.get(url).headers["ETag"]
    with count_queries() as statements:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and len(statements) == 1
