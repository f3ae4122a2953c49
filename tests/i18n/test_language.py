"""Swedish by default; English by the browser's Accept-Language or the user's own choice."""

from datetime import UTC, datetime

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy_continuum import version_class

from intranet.extensions import db
from intranet.models import Transaction, User, UserPreference


def test_swedish_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page and "Sign in" not in page


def test_the_browser_language_selects_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    text = page.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Sign in" in text and "Username" in text and "Logga in" not in text


def test_an_unsupported_browser_language_falls_back_to_swedish(client):
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Logga in" in page.get_data(as_text=True)


def test_validation_messages_follow_the_language(client):
    headers = {"Accept-Language": "en"}
    token = client.csrf_token()
    response = client.post("/login", data={"csrf_token": token}, headers=headers)
    assert "Enter your username." in response.get_data(as_text=True)


def test_the_chosen_language_is_kept_on_the_user(client, make, app):
    user = make.user(username="olle", role="officer")
    client.login("olle")
    response = client.post_form("/language", {"language": "en", "next": "/plans"})
    assert response.status_code == 302
    page = client.get("/plans").get_data(as_text=True)
    assert "Strategies and action plans" in page and "Sign out" in page
    db.session.expire_all()
    assert db.session.get(UserPreference, user.id).locale == "en"

    # Another browser, signed in as the same user, without any language preference.
    other = app.test_client()
    other.login("olle")
    assert "Strategies and action plans" in other.get("/plans").get_data(as_text=True)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_switching_language_writes_no_history(client, make, app):
    """A language is a preference, not history: any role may switch as often as they like
    without adding a (permanent, chained) transaction or a version row."""
    user = make.user(username="lisa", role="viewer")
    client.login("lisa")
    transactions, versions = _count(Transaction), _count(version_class(User))
    for number in range(10):
        language = ("en", "sv")[number % 2]
        response = client.post_form("/language", {"language": language, "next": "/plans"})
        assert response.status_code == 302
    assert _count(Transaction) == transactions
    assert _count(version_class(User)) == versions
    assert db.session.get(UserPreference, user.id).locale == "sv"

    # The last choice (English) outlives the session: signing in again finds it.
    client.post_form("/language", {"language": "en", "next": "/plans"})
    client.post_form("/logout")
    other = app.test_client()
    other.login("lisa")
    assert "Strategies and action plans" in other.get("/plans").get_data(as_text=True)
    assert _count(Transaction) == transactions


def test_the_matrix_answers_in_the_new_language_after_a_switch(client, make):
    """The matrix's early 304 must not reuse a page in the old language: switching writes no
    transaction, so the head alone cannot tell that the language changed."""
    make.user(username="erik", role="viewer")
    client.login("erik")
    client.post_form("/language", {"language": "en", "next": "/matrix"})
    first = client.get("/matrix")
    assert first.status_code == 200 and first.headers.get("ETag")
    assert '<html lang="en">' in first.get_data(as_text=True)
    client.post_form("/language", {"language": "sv", "next": "/matrix"})
    again = client.get("/matrix", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert '<html lang="sv">' in again.get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    token = client.csrf_token()
    response = client.post("/language", data={"language": "xx", "csrf_token": token})
    assert response.status_code == 400


def test_dates_and_numbers_follow_the_locale(app):
    moment = datetime(2021, 3, 4, 12, 30, tzinfo=UTC)
    template = "{{ moment | datetime }} {{ 1234.5 | number }} {{ 0.25 | percent }}"
    with app.test_request_context():
        with force_locale("sv"):
            swedish = app.jinja_env.from_string(template).render(moment=moment)
        with force_locale("en"):
            english = app.jinja_env.from_string(template).render(moment=moment)
    # Shown in Europe/Stockholm: 12:30 UTC is 13:30 in March.
    assert "2021-03-04 13:30" in swedish
    assert "1\N{NO-BREAK SPACE}234,5" in swedish
    assert "3/4/21, 1:30\N{NARROW NO-BREAK SPACE}PM" in english
    assert "1,234.5" in english and "25%" in english
