"""What a refused request says: the error pages carry the short message that static/app.js
shows inside the form of a failed htmx request, every page carries that script's own
messages in its language, and refusals are shown in the error style."""

import json
import re
from html import unescape

import pytest

from intranet import ROOT


@pytest.fixture
def limit(app):
    configured = app.config["WRITE_RATE_LIMIT"]
    yield lambda value: app.config.update(WRITE_RATE_LIMIT=value)
    app.config["WRITE_RATE_LIMIT"] = configured


def _short_message(response) -> tuple[dict, str]:
    match = re.search(r"<p data-error-message([^>]*)>([^<]*)</p>", response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    attributes = dict(re.findall(r'(data-error-[a-z]+)="([^"]*)"', match.group(1)))
    return attributes, unescape(match.group(2))


def test_the_429_page_says_how_long_to_wait_and_mentions_no_form(client, make, limit):
    client.login(make.user("admin").username)
    limit("1/minute")
    assert client.post_form("/boards/new", {"name": "Nämnd 1", "kind": "board"}).status_code == 302
    for htmx in (False, True):
        refused = client.post_form("/boards/new", {"name": "Nämnd 2", "kind": "board"}, htmx=htmx)
        assert refused.status_code == 429
        seconds = int(refused.headers["Retry-After"])
        attributes, text = _short_message(refused)
        assert attributes["data-error-status"] == "429"
        assert f"Vänta {seconds} sekunder" in text
        assert "formulär" not in refused.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_csrf_failure_is_told_as_an_ended_session(client, make, app, htmx, monkeypatch):
    client.login(make.user("admin").username)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    headers = {"HX-Request": "true"} if htmx else {}
    refused = client.post("/boards/new", data={"name": "X", "kind": "board"}, headers=headers)
    assert refused.status_code == 400
    attributes, text = _short_message(refused)
    assert attributes["data-error-kind"] == "session"
    assert "Logga in igen" in text
    assert 'href="/login"' in refused.get_data(as_text=True)


def test_other_errors_carry_their_short_message(client, make):
    client.login(make.user("viewer").username)
    refused = client.post_form("/boards/new", {"name": "X", "kind": "board"}, htmx=True)
    assert refused.status_code == 403
    attributes, text = _short_message(refused)
    assert attributes == {"data-error-status": "403"}
    assert "behörighet" in text


def _request_error_texts(page) -> dict:
    match = re.search(r"data-request-errors='([^']*)'", page.get_data(as_text=True))
    assert match
    return json.loads(unescape(match.group(1)))


def test_every_page_carries_the_request_error_messages_in_its_language(client, make):
    client.login(make.user("officer").username)
    swedish = _request_error_texts(client.get("/plans"))
    assert swedish["failed"] == "Det gick inte att spara. Försök igen."
    assert swedish["session"].startswith("Din session har gått ut.")
    assert swedish["login_url"] == "/login"
    assert "{seconds}" in swedish["rate"]
    for key in ("too_large", "forbidden", "load_failed", "rate_unknown", "login"):
        assert swedish[key]
    client.post_form("/language", {"language": "en"})
    english = _request_error_texts(client.get("/plans"))
    assert english["failed"] == "It could not be saved. Please try again."
    assert "{seconds}" in english["rate"]
    assert set(english) == set(swedish)
    assert all(english[key] != swedish[key] for key in swedish if key != "login_url")
    # Signed out too: the sign-in page has them.
    client.post_form("/logout")
    assert _request_error_texts(client.get("/login"))["session"]


def test_error_flashes_are_alerts_in_the_error_style(client, make):
    client.login(make.user("admin").username)
    with client.session_transaction() as session:
        session["_flashes"] = [("error", "Nekad"), ("success", "Sparad")]
    page = client.get("/plans").get_data(as_text=True)
    assert re.search(r'role="alert"[^>]*>\s*<p class="flash flash-error">Nekad</p>', page)
    assert re.search(r'role="status"[^>]*>\s*<p class="flash flash-success">Sparad</p>', page)
    css = (ROOT / "static" / "app.css").read_text()
    error_rule = re.search(r"\.flash-error \{([^}]*)\}", css)
    assert error_rule and "var(--danger)" in error_rule.group(1)
