"""Parallel wrong passwords: the sign-in limit holds exactly however the attempts overlap.

Each attempt is a real request in its own thread with its own client, session and database
connection, all released at once."""

import threading
from collections import Counter

import pytest

from tests.security.test_accounts import PASSWORD

ATTEMPTS = 12


def _fire_at_once(app, attempts):
    """Send every (username, password, address) at the same moment; the status codes."""
    clients = [app.test_client() for _ in attempts]
    tokens = [client.csrf_token() for client in clients]
    start = threading.Barrier(len(attempts))
    statuses = [None] * len(attempts)

    def attempt(index):
        username, password, address = attempts[index]
        start.wait()
        response = clients[index].post(
            "/login",
            data={"username": username, "password": password, "csrf_token": tokens[index]},
            environ_overrides={"REMOTE_ADDR": address},
        )
        statuses[index] = response.status_code

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def test_parallel_wrong_passwords_for_one_account_stop_exactly_at_the_limit(app, make):
    user = make.user("viewer")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    statuses = _fire_at_once(app, [(user.username, "wrong-wrong-wrong", "10.1.1.1")] * ATTEMPTS)
    assert statuses == Counter({401: limit, 429: ATTEMPTS - limit})
    # And the right password from there is refused too, until the window has passed.
    assert _fire_at_once(app, [(user.username, PASSWORD, "10.1.1.1")]) == Counter({429: 1})


@pytest.fixture
def address_limit(app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 7
    yield 7
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_parallel_guesses_at_many_accounts_stop_exactly_at_the_address_limit(
    app, make, address_limit
):
    attempts = [(f"guess{number}", "wrong-wrong-wrong", "10.2.2.2") for number in range(ATTEMPTS)]
    statuses = _fire_at_once(app, attempts)
    assert statuses == Counter({401: address_limit, 429: ATTEMPTS - address_limit})
