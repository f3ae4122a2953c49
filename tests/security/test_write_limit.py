"""Writes are rate-limited per user (WRITE_RATE_LIMIT), counted in the database so that
every worker and app server sees the same count."""

import pytest
from sqlalchemy import func, select

from intranet.accounts.write_limit import parse_rate
from intranet.extensions import db
from intranet.models import Board, Transaction


@pytest.fixture
def limit(app):
    """Set a low limit for one test, and put the configured one back afterwards."""
    configured = app.config["WRITE_RATE_LIMIT"]
    yield lambda value: app.config.update(WRITE_RATE_LIMIT=value)
    app.config["WRITE_RATE_LIMIT"] = configured


def _transactions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Transaction))


def _new_board(client, name: str, htmx: bool = False):
    return client.post_form("/boards/new", {"name": name, "kind": "board"}, htmx=htmx)


def test_the_default_is_generous_and_configurable(app):
    assert parse_rate("120/minute") == (120, 60)
    assert parse_rate("5/hours") == (5, 3600)
    assert parse_rate("0") is None and parse_rate("off") is None and parse_rate("") is None
    requests, window = parse_rate(app.config["WRITE_RATE_LIMIT"])
    assert requests / window >= 1  # at least one write a second, as imports and meetings need
    with pytest.raises(ValueError):
        parse_rate("120 per minute")


def test_writes_over_the_limit_are_refused_and_write_nothing(client, make, limit):
    client.login(make.user("admin").username)
    limit("3/minute")
    for number in range(3):
        assert _new_board(client, f"Nämnd {number}").status_code == 302
    before = _transactions()
    refused = _new_board(client, "Nämnd för mycket")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "För många ändringar på kort tid" in refused.get_data(as_text=True)
    # An htmx request gets the same answer, which htmx does not swap: the form keeps its text.
    assert _new_board(client, "Nämnd för mycket", htmx=True).status_code == 429
    assert _transactions() == before
    assert db.session.scalar(select(Board).where(Board.name == "Nämnd för mycket")) is None
    # Reading goes on, and signing out always works.
    assert client.get("/boards").status_code == 200
    assert client.post_form("/logout").status_code == 302


def test_under_the_limit_everything_is_saved(client, make, limit):
    client.login(make.user("admin").username)
    limit("5/minute")
    before = _transactions()
    for number in range(5):
        assert _new_board(client, f"Nämnd {number}").status_code == 302
    assert _transactions() == before + 5


def test_one_users_limit_does_not_affect_another(app, make, limit):
    first, second = app.test_client(), app.test_client()
    first.login(make.user("admin").username)
    second.login(make.user("admin").username)
    limit("2/minute")
    for number in range(2):
        assert _new_board(first, f"Första {number}").status_code == 302
    assert _new_board(first, "Första för mycket").status_code == 429
    assert _new_board(second, "Andra").status_code == 302


def test_every_write_counts_even_a_viewers_language_switch(client, make, limit):
    client.login(make.user("viewer").username)
    limit("2/minute")
    for language in ("en", "sv"):
        assert client.post_form("/language", {"language": language}).status_code == 302
    assert client.post_form("/language", {"language": "en"}).status_code == 429


def test_the_window_ends_and_the_count_starts_again(client, make, limit):
    from intranet.core.clock import utc_now
    from intranet.models import WriteCount

    client.login(make.user("admin").username)
    limit("1/minute")
    assert _new_board(client, "Nämnd 1").status_code == 302
    assert _new_board(client, "Nämnd 2").status_code == 429
    db.session.execute(db.update(WriteCount).values(window_start=utc_now().replace(year=2000)))
    db.session.commit()
    assert _new_board(client, "Nämnd 2").status_code == 302


def test_no_limit_when_switched_off(client, make, limit):
    client.login(make.user("admin").username)
    limit("0")
    for number in range(5):
        assert _new_board(client, f"Nämnd {number}").status_code == 302


def test_the_count_is_shared_by_every_app_server(app, make, limit):
    """Two app instances (as two servers or gunicorn workers) count the same writes."""
    from intranet import create_app

    other_server = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
            "WRITE_RATE_LIMIT": "2/minute",
        }
    )
    other_server.test_client_class = app.test_client_class
    limit("2/minute")
    user = make.user("admin")
    first, second = app.test_client(), other_server.test_client()
    first.login(user.username)
    second.login(user.username)
    assert _new_board(first, "Nämnd 1").status_code == 302
    assert _new_board(second, "Nämnd 2").status_code == 302
    assert _new_board(first, "Nämnd 3").status_code == 429
    assert _new_board(second, "Nämnd 3").status_code == 429
    with other_server.app_context():
        db.engine.dispose()
