"""Every response carries the security headers; the pages need no inline script or style."""

import re

import pytest

from intranet import create_app
from intranet.security import CONTENT_SECURITY_POLICY

REQUIRED_CSP = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
]


@pytest.mark.parametrize("url", ["/login", "/plans", "/no-such-page", "/static/app.js"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_when_served_over_https(client):
    response = client.get("/login", base_url="https://intranet.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _signed_in_pages(client, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    make.follow_up(sub_goal=sub_goal)
    admin = make.user("admin", boards=[board])
    client.login(admin.username)
    return [
        "/plans",
        f"/plans/{sub_goal.plan.id}",
        f"/sub-goals/{sub_goal.id}",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{admin.id}/edit",
        f"/admin/users/{admin.id}/password",
    ]


def test_pages_have_no_inline_script_or_style(client, make):
    pages = ["/login"] + _signed_in_pages(client, make)
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert html.count("<script") == html.count("<script src="), url
        assert not re.search(r"\sstyle=", html), url
        assert "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers
        assert "javascript:" not in html, url


def test_htmx_configured_for_the_policy(client):
    # htmx injects an inline <style> and may eval; both are switched off in its config.
    html = client.get("/login").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_cookies_are_httponly_samesite_and_not_secure_over_http(client, make):
    user = make.user("viewer")
    response = client.login(user.username)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_when_the_site_is_https(monkeypatch):
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    import importlib

    import intranet.config

    try:
        config = importlib.reload(intranet.config).Config
        assert config.SESSION_COOKIE_SECURE is True
        assert config.REMEMBER_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("PREFERRED_URL_SCHEME")
        importlib.reload(intranet.config)


def test_secure_cookie_is_set_over_https(app, make, app_context):
    secure_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SESSION_COOKIE_SECURE": True,
        }
    )
    client = secure_app.test_client()
    response = client.get("/login", base_url="https://intranet.example")
    assert "Secure" in response.headers["Set-Cookie"]


SIGNED_IN_RESPONSES = [
    "/plans",
    "/matrix",
    "/matrix.csv",
    "/matrix.xlsx",
    "/audit",
    "/audit.csv",
    "/admin/users",
    "/history/user/{user}",
    "/history/sub_goal/{sub_goal}",
    "/sub-goals/{sub_goal}",
    "/plans/{plan}/export.xlsx",
    "/plans/{plan}/report.docx",
    "/no-such-page",
]


@pytest.mark.parametrize("url", SIGNED_IN_RESPONSES)
def test_nothing_a_signed_in_user_gets_is_stored_by_caches(client, make, url):
    admin = make.user("admin")
    sub_goal = make.sub_goal()
    client.login(admin.username)
    response = client.get(url.format(user=admin.id, sub_goal=sub_goal.id, plan=sub_goal.plan.id))
    assert response.status_code in (200, 404), response.status_code
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_and_anonymous_pages_may_be_cached(client, make):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    client.login(make.user("viewer").username)
    static = client.get("/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
