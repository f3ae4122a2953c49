"""A button or link is shown exactly when its action is allowed: per role, walk the pages
reachable from the start page and follow every action shown. None may answer 403.

GET links are followed (a few of each endpoint, so that the walk stays small); the forms
found on the way are then submitted as they are (their hidden fields, CSRF included, and
nothing typed), after the walk, so that what they change cannot hide a page from it.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import Plan
from tests.conftest import DEMO_PASSWORD, PASSWORD

PER_ENDPOINT = 3
# Ending the session or switching the language would stop the walk, not test a permission.
NOT_SUBMITTED = {"accounts.logout", "accounts.set_language"}
NOT_PAGES = {"static"}


class _Actions(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attributes.get("type") == "hidden":
            name = attributes.get("name")
            self._form["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _endpoint(app, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    adapter = app.url_map.bind("localhost")
    for method in ("GET", "POST"):
        try:
            return adapter.match(parts.path, method=method)[0]
        except (NotFound, MethodNotAllowed):
            continue
    return None


def _walk(app, client):
    """Every page reachable by GET links (a few per endpoint), and every form on them."""
    queue, seen, per_endpoint, forms = ["/"], {"/"}, {}, []
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        assert response.status_code != 403, f"shown link {url} answers 403"
        if response.mimetype != "text/html":
            continue
        parser = _Actions()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            form["page"] = url
            form["action"] = urljoin(url, form["action"] or url)
            forms.append(form)
        for link in parser.links:
            target = urljoin(url, link).split("#")[0]
            endpoint = _endpoint(app, target)
            if target in seen or endpoint is None or endpoint in NOT_PAGES:
                continue
            seen.add(target)
            if per_endpoint.get(endpoint, 0) < PER_ENDPOINT:
                per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
                queue.append(target)
    return per_endpoint, forms


def _submit(app, client, forms) -> dict[str, int]:
    submitted: dict[str, int] = {}
    for form in forms:
        endpoint = _endpoint(app, form["action"])
        if endpoint is None or endpoint in NOT_SUBMITTED or form["method"] != "post":
            continue
        if submitted.get(endpoint, 0) >= PER_ENDPOINT:
            continue
        submitted[endpoint] = submitted.get(endpoint, 0) + 1
        response = client.post(form["action"], data=form["fields"])
        assert response.status_code != 403, (
            f"the form to {form['action']} shown on {form['page']} answers 403"
        )
    return submitted


@pytest.fixture
def world(demo, make):
    """The demo data with an open reporting round, an officer of a board that is
    responsible for nothing in it, and one of a board involved in some of its sub-goals
    (which reads them but does not report)."""
    plan = db.session.scalar(select(Plan).order_by(Plan.start_year.desc()))
    make.reporting_round(plan=plan, year=plan.start_year)
    make.user("officer", boards=[make.board()], username="lonely")
    involved = make.board(name="Medverkande nämnden")
    with acting_as(None, "test data"):
        for sub_goal in plan.focus_areas[0].sub_goals[:3]:
            sub_goal.set_boards([*sub_goal.boards, involved])
        db.session.commit()
    make.user("officer", boards=[involved], username="involved")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("admin", DEMO_PASSWORD),
        ("officer", DEMO_PASSWORD),
        ("auditor", DEMO_PASSWORD),
        ("viewer", DEMO_PASSWORD),
        ("lonely", PASSWORD),
        ("involved", PASSWORD),
    ],
)
@pytest.mark.slow
def test_every_shown_action_is_allowed(app, client, world, username, password):
    client.login(username, password)
    visited, forms = _walk(app, client)
    submitted = _submit(app, client, forms)
    # The walk reaches the pages that matter, so that it proves something.
    assert {"plans.show", "plans.sub_goal", "matrix.show", "rounds.show"} <= visited.keys()
    if username in ("admin", "officer"):
        assert "followups.edit" in visited and "followups.edit" in submitted
    if username == "involved":
        assert "followups.edit" not in visited and "activities.new" not in visited
    if username == "admin":
        assert {"boards.index", "boards.edit", "boards.reorganise"} <= visited.keys()
        assert {"boards.archive", "boards.reorganise"} <= submitted.keys()
        assert {"lineage.next_plan", "lineage.links"} <= visited.keys()
        # The next-plan and link forms post to their own pages' addresses (matched as the pages).
        assert {"lineage.next_plan", "lineage.links", "lineage.unlink"} <= submitted.keys()
    else:
        assert not {"lineage.next_plan", "lineage.links"} & visited.keys()
    if username != "auditor":
        assert "meetings.start" in submitted
    else:
        assert "meetings.start" not in submitted
