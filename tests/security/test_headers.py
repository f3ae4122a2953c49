"""Every response carries the security headers; the pages need no inline script or style."""

import re
from datetime import timedelta

import pytest

from intranet import create_app
from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.web.security import CONTENT_SECURITY_POLICY

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
    "/audit",
    "/audit.csv",
    "/admin/users",
    "/history/user/{user}",
    "/history/sub_goal/{sub_goal}",
    "/sub-goals/{sub_goal}",
    "/plans/{plan}/export.xlsx",
    "/plans/{plan}/report.docx",
    "/matrix.csv",
    "/matrix.xlsx",
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


@pytest.mark.parametrize("url", ["/matrix", "/matrix?as_of=2020-01-01", "/matrix?meeting=1"])
def test_the_matrix_naming_no_one_is_revalidated_not_stored_away(client, make, url):
    client.login(make.user("viewer" if "meeting" in url else "admin").username)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"]


@pytest.mark.parametrize("url", ["/matrix.csv", "/matrix.xlsx", "/matrix.csv?as_of=2020-01-01"])
def test_matrix_exports_are_never_stored(client, make, url):
    client.login(make.user("admin").username)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


AUTHOR = "Unik Författarsson"
AUTHOR_USERNAME = "unikforf"


def _named_world(make):
    """A follow-up changed today by an author, a meeting they started: what may name them."""
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    follow_up = make.follow_up(sub_goal=sub_goal)
    author = make.user("admin", display_name=AUTHOR, username=AUTHOR_USERNAME)
    with acting_as(author.id, "test"):
        follow_up.status = "done"
        db.session.commit()
    make.meeting(plan_id=sub_goal.plan.id, started_by_id=author.id)
    users = {
        "admin": make.user("admin"),
        "auditor": make.user("auditor"),
        "officer": make.user("officer", boards=[board]),
        "viewer": make.user("viewer"),
    }
    return sub_goal, follow_up, author, users


def _every_page(sub_goal, follow_up, author) -> list[str]:
    plan = sub_goal.plan.id
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    matrix = f"/matrix?plan={plan}"
    return [
        "/",
        matrix,
        f"{matrix}&since={yesterday}",
        f"{matrix}&meeting=1",
        f"{matrix}&meeting=1&since=none",
        f"{matrix}&as_of={clock.today().isoformat()}",
        "/matrix.csv",
        f"/matrix.xlsx?since={yesterday}",
        f"/plans/{plan}",
        f"/sub-goals/{sub_goal.id}",
        f"/sub-goals/{sub_goal.id}/follow-ups/{follow_up.year}",
        f"/history/follow_up/{follow_up.id}",
        f"/history/user/{author.id}",
        "/audit",
        "/audit.csv",
        "/admin/users",
        f"/plans/{plan}/export.csv",
        f"/plans/{plan}/report",
        f"/plans/{plan}/report.docx",
    ]


@pytest.mark.slow
def test_every_response_naming_an_author_is_never_stored(app, make):
    """Every page and fragment, for every role, that holds another person's name or
    username (who changed a record, who started the meeting) is no-store; so is every
    download, whatever it holds."""
    sub_goal, follow_up, author, users = _named_world(make)
    named, failures = set(), []
    for role, user in users.items():
        client = app.test_client()
        client.login(user.username)
        for url in _every_page(sub_goal, follow_up, author):
            # The matrix's htmx block too (the meeting poll); other pages' blocks are theirs.
            fragment = ({"HX-Request": "true"},) if url.startswith("/matrix?") else ()
            for headers in ({}, *fragment):
                response = client.get(url, headers=headers)
                if response.status_code in (302, 403, 404):
                    continue
                body = response.get_data()
                download = "attachment" in response.headers.get("Content-Disposition", "")
                names = AUTHOR.encode() in body or AUTHOR_USERNAME.encode() in body
                if names:
                    named.add((role, url.split("?")[0]))
                if (names or download) and response.headers.get("Cache-Control") != "no-store":
                    failures.append(
                        f"{role} {url} {headers}: {response.headers.get('Cache-Control')}"
                    )
    assert not failures, "\n".join(failures)
    # Not vacuous: the matrix names the author to who may read its history, and never to a viewer.
    assert {("admin", "/matrix"), ("auditor", "/matrix"), ("officer", "/matrix")} <= named
    assert not any(role == "viewer" for role, _url in named), named


def test_static_files_and_anonymous_pages_may_be_cached(client, make):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    client.login(make.user("viewer").username)
    static = client.get("/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
