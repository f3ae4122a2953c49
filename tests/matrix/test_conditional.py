"""Conditional requests on the matrix: a validator, 304 without rendering, no shared leaks."""

import sys
import threading
from datetime import date

import pytest
from sqlalchemy import select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.matrix.conditional import RenderedCache
from intranet.models import Board, FollowUp, ReportingRound, User
from tests.conftest import DEMO_PASSWORD
from tests.followups.test_routes import FIELDS
from tests.matrix.test_routes import _plan_2018, _sub_goal, count_queries

# (who asks, what): the matrix without others' names is revalidated; the meeting poll is the
# viewer's (an officer's names who changed their boards' cells: not kept, see names_people).
URLS = [
    ("officer", "/matrix"),
    ("officer", "/matrix?plan=all&from_year=2012&to_year=2032"),
    ("viewer", "/matrix?meeting=1&refresh=30"),
    ("auditor", "/matrix?as_of=2020-01-01"),
]


@pytest.fixture
def officer_client(client, demo):
    client.login("officer", DEMO_PASSWORD)
    return client


def _etag(response) -> str:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    return etag


@pytest.mark.parametrize(("username", "url"), URLS)
def test_unchanged_matrix_answers_304_in_a_constant_few_queries(client, demo, username, url):
    client.login(username, DEMO_PASSWORD)
    etag = _etag(client.get(url))
    with count_queries() as statements:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "private, no-cache"
    # One indexed query (the session's user and the head transaction); nothing is loaded.
    assert len(statements) == 1, statements


@pytest.mark.parametrize("url", ["/matrix.csv", "/matrix.xlsx", "/matrix.csv?as_of=2020-01-01"])
def test_exports_are_downloads_never_kept_nor_revalidated(officer_client, url):
    first = officer_client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store" and "ETag" not in first.headers
    again = officer_client.get(url, headers={"If-None-Match": "*"})
    assert again.status_code == 200 and again.headers["Cache-Control"] == "no-store"


def test_htmx_fragment_and_page_have_their_own_validators(officer_client):
    page = _etag(officer_client.get("/matrix"))
    fragment = officer_client.htmx_get("/matrix")
    assert _etag(fragment) != page
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    again = officer_client.get("/matrix", headers={"HX-Request": "true", "If-None-Match": page})
    assert again.status_code == 200


def _save_follow_up():
    follow_up = db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == _sub_goal("4.1").id, FollowUp.year == 2019)
    )
    follow_up.next_steps = "Ett nytt steg"


def _archive_a_board():
    board = db.session.scalar(select(Board).order_by(Board.id.desc()).limit(1))
    board.archived_at = db.func.now()


def _lock_a_round():
    db.session.add(
        ReportingRound(plan=_plan_2018(), year=2021, deadline=date(2022, 2, 28), is_open=False)
    )


@pytest.mark.parametrize("change", [_save_follow_up, _archive_a_board, _lock_a_round])
def test_every_save_changes_the_validator(officer_client, change):
    before = _etag(officer_client.get("/matrix"))
    with acting_as(None, "test"):
        change()
        db.session.commit()
    response = officer_client.get("/matrix", headers={"If-None-Match": before})
    assert _etag(response) != before


def test_a_save_through_the_form_changes_the_validator_and_the_cell(officer_client):
    five_one = _sub_goal("5.1")
    before = officer_client.get("/matrix")
    follow_up = db.session.scalar(
        select(FollowUp).where(FollowUp.sub_goal_id == five_one.id, FollowUp.year == 2018)
    )
    response = officer_client.post_form(
        f"/sub-goals/{five_one.id}/follow-ups/2018/edit",
        FIELDS | {"status": "ongoing", "lock_version": str(follow_up.lock_version)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    flashed = officer_client.get("/matrix")  # shows the "saved" message once: not reusable
    assert "ETag" not in flashed.headers
    after = officer_client.get("/matrix", headers={"If-None-Match": _etag(before)})
    assert _etag(after) != before.headers["ETag"]
    assert after.get_data() != before.get_data()


def test_another_scope_or_language_never_gets_a_cached_matrix(client, demo, make):
    other = make.user("officer", boards=[make.board(name="Kultur- och fritidsnämnden")])
    client.login("officer", DEMO_PASSWORD)
    own = client.get("/matrix")
    assert "data-edit=" in own.get_data(as_text=True)
    client.post_form("/logout")

    client.login(other.username)
    theirs = client.get("/matrix", headers={"If-None-Match": own.headers["ETag"]})
    assert _etag(theirs) != own.headers["ETag"]
    assert "data-edit=" not in theirs.get_data(as_text=True)

    english = client.get("/matrix", headers={"Accept-Language": "en"})
    assert _etag(english) != theirs.headers["ETag"]
    text = english.get_data(as_text=True)
    assert "Goal matrix" in text or 'lang="en"' in text
    assert "Ej rapporterad" not in text


def test_same_scope_shares_the_rendered_region_but_not_the_page(client, demo, make, app):
    social = db.session.scalar(select(Board).where(Board.name == "Social- och omsorgsnämnden"))
    colleague = make.user("officer", boards=[social], display_name="Kollega Kollegasson")
    client.login("officer", DEMO_PASSWORD)
    first = client.get("/matrix")
    client.post_form("/logout")
    client.login(colleague.username)
    second = client.get("/matrix", headers={"If-None-Match": first.headers["ETag"]})
    assert _etag(second) != first.headers["ETag"]
    assert "Kollega Kollegasson" in second.get_data(as_text=True)


def test_the_cache_is_bounded_in_bytes():
    cache = RenderedCache(max_bytes=10)
    cache.put("a", "1234")
    cache.put("b", "5678")
    assert cache.get("a") == "1234"  # now the most recently used
    cache.put("c", "90ab")
    assert cache.get("b") is None and cache.get("a") == "1234" and cache.get("c") == "90ab"
    assert cache.used <= 10
    cache.put("huge", "x" * 11)
    assert cache.get("huge") is None and len(cache) == 2


def test_the_cache_counts_bytes_not_characters_and_replaces_in_place():
    cache = RenderedCache(max_bytes=10)
    cache.put("a", "åäö")  # six bytes in UTF-8
    assert cache.used == 6
    cache.put("a", "ab")
    assert cache.get("a") == "ab" and cache.used == 2 and len(cache) == 1
    cache.put("b", "12345678")
    assert cache.used == 10 and len(cache) == 2
    cache.put("a", "abc")  # grown: the least recently used other entry makes room
    assert cache.get("b") is None and cache.get("a") == "abc" and cache.used == 3
    cache.put("a", "x" * 11)  # too large: not kept, the value before it stays
    assert cache.get("a") == "abc"
    cache.clear()
    assert len(cache) == 0 and cache.used == 0 and cache.get("a") is None


def test_the_cache_stays_consistent_under_concurrent_use():
    """The server's threads share one cache: its size and its entries agree whatever the
    interleaving of reads (which reorder it) and writes (which evict)."""
    cache = RenderedCache(max_bytes=64)
    errors = []

    def work(worker: int):
        try:
            for step in range(2000):
                key = f"k{(worker * 7 + step) % 23}"
                if step % 3:
                    value = cache.get(key)
                    assert value is None or value == key * 2
                else:
                    cache.put(key, key * 2)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert errors == []
    kept = [key for key in (f"k{n}" for n in range(23)) if cache.get(key) is not None]
    assert cache.used == sum(len(key) * 2 for key in kept) <= 64
    assert len(cache) == len(kept)


def _officer() -> User:
    return db.session.scalar(select(User).where(User.username == "officer"))


def _etag_then(client, url: str, change) -> tuple[str, object]:
    """The validator before `change` (committed as someone else), and the answer after it."""
    before = _etag(client.get(url))
    with acting_as(None, "test"):
        change()
        db.session.commit()
    return before, client.get(url, headers={"If-None-Match": before})


def test_a_board_membership_change_changes_the_validator(officer_client, make):
    other = make.board(name="Kultur- och fritidsnämnden")
    url = "/matrix?plan=all&refresh=30"

    def join_a_board():
        officer = _officer()
        officer.set_boards([*officer.boards, other])

    before, after = _etag_then(officer_client, url, join_a_board)
    assert _etag(after) != before
    # The scope in the session was refreshed: the new validator revalidates in one query.
    with count_queries() as statements:
        again = officer_client.get(url, headers={"If-None-Match": after.headers["ETag"]})
    assert again.status_code == 304 and len(statements) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda: _officer().end_sessions(),  # signed out elsewhere: not even a transaction
        lambda: setattr(_officer(), "active", False),
    ],
    ids=["session-ended", "deactivated"],
)
def test_an_ended_session_never_revalidates(officer_client, change):
    before, after = _etag_then(officer_client, "/matrix?plan=all&refresh=30", change)
    assert after.status_code == 302 and "/login" in after.location


def test_another_language_in_the_same_session_gets_its_own_validator(officer_client):
    swedish = _etag(officer_client.get("/matrix"))
    english = officer_client.get(
        "/matrix", headers={"If-None-Match": swedish, "Accept-Language": "en"}
    )
    assert _etag(english) != swedish
    assert "Ej rapporterad" not in english.get_data(as_text=True)
    again = officer_client.get(
        "/matrix", headers={"If-None-Match": english.headers["ETag"], "Accept-Language": "en"}
    )
    assert again.status_code == 304


def test_a_user_choosing_a_language_changes_the_validator(officer_client):
    swedish = _etag(officer_client.get("/matrix"))
    officer_client.post_form("/language", {"language": "en", "next": "/matrix"})
    after = officer_client.get("/matrix", headers={"If-None-Match": swedish})
    assert _etag(after) != swedish


def test_a_meeting_started_or_ended_changes_the_validator(client, demo):
    """The projector's poll (the viewer's: a page naming no one, see names_people)."""
    client.login("viewer", DEMO_PASSWORD)
    url = "/matrix?meeting=1&refresh=30"
    before = _etag(client.get(url))
    plan = _plan_2018()
    client.post_form("/meetings/start", {"plan": str(plan.id), "next": url})
    client.get(url)  # the "started" message, once
    started = client.get(url, headers={"If-None-Match": before})
    assert _etag(started) != before
    assert "Avsluta mötet" in started.get_data(as_text=True)
