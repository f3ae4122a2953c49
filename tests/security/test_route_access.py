"""Every route, every role: the expected status is written down here, so a new route
without a rule fails the suite.

To add a route: one entry in EXPECTED per (endpoint, method), built with the helpers
below; URL arguments come from WORLD_ARGS (add a key if a route needs a new one) and
POST bodies from FORM_DATA (a CSRF token is always added).
"""

import pytest
from sqlalchemy import func, select

from intranet.core import clock
from intranet.extensions import db
from intranet.models import ReportComment, Transaction
from tests.conftest import PASSWORD

ROLES = ("anonymous", "viewer", "auditor", "officer_a", "officer_b", "admin")
LOGIN = "to sign-in"  # a redirect to the sign-in page


def every(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return every(status) | {"anonymous": anonymous}


def admin_only(status):
    return signed_in(403) | {"admin": status}


def past_readers(status):
    """Admins, auditors and officers see the past (`as_of`); viewers do not."""
    return signed_in(status) | {"viewer": 403}


def board_a_readers(status):
    """The history of what board A owns: auditors, admins and board A's officer."""
    return signed_in(403) | {"auditor": status, "officer_a": status, "admin": status}


def board_b_readers(status):
    return signed_in(403) | {"auditor": status, "officer_b": status, "admin": status}


def sub_goal_readers(status):
    """The history of the sub-goal and what hangs under it: board A reports for it, board B
    is involved in it; both boards' officers read it, with auditors and admins."""
    return board_a_readers(status) | {"officer_b": status}


def auditors(status):
    return signed_in(403) | {"auditor": status, "admin": status}


def meeting_participants(status):
    """Starting and ending a meeting: everyone signed in but auditors, who never write."""
    return signed_in(status) | {"auditor": 403}


def board_a_and_admin(status):
    """Writes for the sub-goal of board A (its main board): its officer and admins; the
    officer of board B, which is involved in the sub-goal, does not report."""
    return signed_in(403) | {"officer_a": status, "admin": status}


EXPECTED: dict[tuple[str, str], dict[str, int | str]] = {
    ("static", "GET"): every(200),
    ("accounts.login", "GET"): signed_in(302, anonymous=200),
    # Empty sign-in form: explained (422) for the anonymous, a redirect for the signed-in.
    ("accounts.login", "POST"): signed_in(302, anonymous=422),
    ("accounts.logout", "POST"): signed_in(302),
    ("accounts.set_language", "POST"): every(302),
    ("start.index", "GET"): signed_in(200),
    ("plans.index", "GET"): signed_in(200),
    ("plans.show", "GET"): signed_in(200),
    ("plans.sub_goal", "GET"): signed_in(200),
    ("matrix.show", "GET"): signed_in(200),
    ("matrix.export", "GET"): signed_in(200),
    ("followups.show", "GET"): signed_in(200),
    ("followups.edit", "GET"): board_a_and_admin(200),
    # An empty form is explained (422) to those who may write.
    ("followups.edit", "POST"): board_a_and_admin(422),
    ("activities.new", "GET"): board_a_and_admin(200),
    ("activities.new", "POST"): board_a_and_admin(422),
    ("activities.edit", "GET"): board_a_and_admin(200),
    ("activities.edit", "POST"): board_a_and_admin(422),
    ("rounds.index", "GET"): signed_in(200),
    ("rounds.show", "GET"): signed_in(200),
    ("rounds.create", "POST"): admin_only(422),
    ("rounds.close", "POST"): admin_only(302),
    ("rounds.reopen", "POST"): admin_only(422),
    ("reports.index", "GET"): signed_in(200),
    ("reports.page_numbers_stylesheet", "GET"): signed_in(200),
    ("reports.report", "GET"): signed_in(200),
    ("reports.report_file", "GET"): signed_in(200),
    ("reports.save_comment", "POST"): board_a_and_admin(302),
    ("plans.export", "GET"): signed_in(200),
    ("rounds.export", "GET"): signed_in(200),
    ("rounds.import_form", "GET"): board_a_and_admin(200),
    ("rounds.import_preview", "POST"): board_a_and_admin(422),
    # Without the signed preview there is nothing to confirm: a bad request.
    ("rounds.import_confirm", "POST"): board_a_and_admin(400),
    ("plans.import_form", "GET"): admin_only(200),
    # The blank template holds no data.
    ("plans.import_template", "GET"): signed_in(200),
    ("plans.import_preview", "POST"): admin_only(422),
    ("plans.import_confirm", "POST"): admin_only(400),
    # The world's record is a follow-up of board A (see RECORD_HISTORY for every kind).
    ("history.record", "GET"): sub_goal_readers(200),
    # Without the two versions to compare: a bad request, explained.
    ("history.compare", "GET"): sub_goal_readers(400),
    ("history.audit", "GET"): auditors(200),
    ("history.audit_csv", "GET"): auditors(200),
    ("history.integrity_page", "GET"): auditors(200),
    ("history.verify_now", "POST"): auditors(302),
    ("history.restore", "POST"): board_a_and_admin(302),
    ("history.archive", "POST"): board_a_and_admin(302),
    ("history.unarchive", "POST"): board_a_and_admin(302),
    # Setting up plans: admins (a plan's owner board is tested in tests/structure; the
    # world's plan has none). Empty forms are explained (422).
    ("structure.new_strategy", "GET"): admin_only(200),
    ("structure.new_strategy", "POST"): admin_only(422),
    ("structure.edit_strategy", "GET"): admin_only(200),
    ("structure.edit_strategy", "POST"): admin_only(422),
    ("structure.new_plan", "GET"): admin_only(200),
    ("structure.new_plan", "POST"): admin_only(422),
    ("structure.edit_plan", "GET"): admin_only(200),
    ("structure.edit_plan", "POST"): admin_only(422),
    ("structure.plan", "GET"): admin_only(200),
    ("structure.change_status", "POST"): admin_only(422),
    ("structure.new_focus_area", "GET"): admin_only(200),
    ("structure.new_focus_area", "POST"): admin_only(422),
    ("structure.edit_focus_area", "GET"): admin_only(200),
    ("structure.edit_focus_area", "POST"): admin_only(422),
    ("structure.move_focus_area", "POST"): admin_only(422),
    ("structure.new_sub_goal", "GET"): admin_only(200),
    ("structure.new_sub_goal", "POST"): admin_only(422),
    ("structure.edit_sub_goal", "GET"): admin_only(200),
    ("structure.edit_sub_goal", "POST"): admin_only(422),
    ("structure.move_sub_goal", "POST"): admin_only(422),
    # Starting the next plan from an active one; linking a sub-goal to an earlier one. An
    # empty form is explained; an unlink naming no link goes back to the link page.
    ("lineage.next_plan", "GET"): admin_only(200),
    ("lineage.create_next_plan", "POST"): admin_only(422),
    ("lineage.links", "GET"): admin_only(200),
    ("lineage.link", "POST"): admin_only(422),
    ("lineage.unlink", "POST"): admin_only(302),
    # Back to the matrix; a second start joins the running meeting, a second end says so.
    ("meetings.start", "POST"): meeting_participants(302),
    # Only who started the meeting (someone else here) or an admin ends it.
    ("meetings.end", "POST"): signed_in(403) | {"admin": 302},
    ("admin.users", "GET"): admin_only(200),
    ("admin.new_user", "GET"): admin_only(200),
    ("admin.new_user", "POST"): admin_only(422),
    ("admin.edit_user", "GET"): admin_only(200),
    ("admin.edit_user", "POST"): admin_only(422),
    ("admin.reset_password", "GET"): admin_only(200),
    ("admin.reset_password", "POST"): admin_only(422),
    ("admin.deactivate_user", "POST"): admin_only(302),
    ("admin.reactivate_user", "POST"): admin_only(302),
    ("boards.index", "GET"): admin_only(200),
    ("boards.new", "GET"): admin_only(200),
    ("boards.new", "POST"): admin_only(422),
    ("boards.edit", "GET"): admin_only(200),
    ("boards.edit", "POST"): admin_only(422),
    # Board A still answers for the sub-goal: refused with a message, back to the list.
    ("boards.archive", "POST"): admin_only(302),
    ("boards.unarchive", "POST"): admin_only(302),
    ("boards.reorganise", "GET"): admin_only(200),
    ("boards.reorganise", "POST"): admin_only(422),
}

# URL arguments that differ from WORLD's for one endpoint.
URL_ARGS = {
    "reports.report_file": {"file_format": "pdf"},
}

# POST bodies; a callable gets the world's URL arguments.
FORM_DATA = {
    ("accounts.set_language", "POST"): {"language": "sv", "next": "/plans"},
    ("reports.save_comment", "POST"): lambda args: {
        "board_id": str(args["board_id"]),
        "lock_version": str(_comment_lock_version(args["plan_id"], args["board_id"])),
    },
}


def _comment_lock_version(plan_id: int, board_id: int) -> int:
    """The whole period's closing comments as they stand: each role saves from there, as
    someone who just opened the report would."""
    db.session.expire_all()
    comment = db.session.scalar(
        select(ReportComment).where(
            ReportComment.plan_id == plan_id,
            ReportComment.board_id == board_id,
            ReportComment.year.is_(None),
        )
    )
    return comment.lock_version if comment else 0


def _form_data(key, args) -> dict:
    data = FORM_DATA.get(key, {})
    return dict(data(args) if callable(data) else data)


@pytest.fixture
def world(make):
    """Two boards; a sub-goal with board A as main board and board B involved, with a
    follow-up; one user of each role."""
    board_a, board_b = make.board(), make.board()
    sub_goal = make.sub_goal(boards=[board_a, board_b])
    follow_up = make.follow_up(sub_goal=sub_goal)
    activity = make.activity(sub_goal=sub_goal)
    reporting_round = make.reporting_round(plan=sub_goal.plan, year=follow_up.year)
    users = {
        "viewer": make.user("viewer"),
        "auditor": make.user("auditor"),
        "officer_a": make.user("officer", boards=[board_a]),
        "officer_b": make.user("officer", boards=[board_b]),
        "admin": make.user("admin"),
    }
    someone = make.user("viewer")
    meeting = make.meeting(plan_id=sub_goal.plan.id, started_by_id=someone.id)
    args = {
        "filename": "app.css",
        "plan_id": sub_goal.plan.id,
        "strategy_id": sub_goal.plan.strategy_id,
        "focus_area_id": sub_goal.focus_area.id,
        "sub_goal_id": sub_goal.id,
        "follow_up_id": follow_up.id,
        "year": follow_up.year,
        "board_id": board_a.id,
        "user_id": someone.id,
        "activity_id": activity.id,
        "round_id": reporting_round.id,
        "meeting_id": meeting.id,
        "file_format": "xlsx",
        "kind": "follow_up",
        "record_id": follow_up.id,
        "transaction_id": db.session.scalar(select(func.max(Transaction.id))),
    }
    records = {
        "plan": sub_goal.plan.id,
        "focus_area": sub_goal.focus_area.id,
        "sub_goal": sub_goal.id,
        "follow_up": follow_up.id,
        "activity": activity.id,
        "board_a": board_a.id,
        "board_b": board_b.id,
        "officer_a": users["officer_a"].id,
        "officer_b": users["officer_b"].id,
        "someone": someone.id,
    }
    return {
        "users": {role: user.username for role, user in users.items()},
        "args": args,
        "records": records,
    }


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_a_rule(app):
    routes = {(rule.endpoint, method) for rule, method in _routes(app)}
    missing = sorted(routes - EXPECTED.keys())
    assert not missing, f"routes without an access rule in EXPECTED: {missing}"
    stale = sorted(EXPECTED.keys() - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def _url(app, endpoint, args):
    args = args | URL_ARGS.get(endpoint, {})
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: args[name] for name in rule.arguments})


def _walk_order(key):
    # Reads first, then changes; signing out (which ends the sessions) last of all.
    endpoint, method = key
    return (endpoint == "accounts.logout", method != "GET", endpoint, method)


@pytest.mark.slow
def test_every_route_for_every_role(app, world):
    """One world and one signed-in browser per role, walked over every route."""
    browsers = _browsers(app, world)
    failures = []
    for endpoint, method in sorted(EXPECTED, key=_walk_order):
        url = _url(app, endpoint, world["args"])
        for role in ROLES:
            browser = browsers[role]
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post_form(url, _form_data((endpoint, method), world["args"]))
            response.close()
            expected = EXPECTED[(endpoint, method)][role]
            if expected == LOGIN:
                ok = response.status_code == 302 and "/login" in response.location
            else:
                ok = response.status_code == expected
            if not ok:
                failures.append(
                    f"{method} {url} as {role}: expected {expected}, got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_every_page_answers_an_htmx_request_as_it_answers_the_page(app, world):
    """A block of a page (what htmx asks for) needs everything the page has: the same
    status for every GET route and role, never a 500 from a block rendered alone."""
    browsers = _browsers(app, world)
    failures = []
    for endpoint, method in sorted(EXPECTED, key=_walk_order):
        if method != "GET" or endpoint == "accounts.logout":
            continue
        url = _url(app, endpoint, world["args"])
        for role in ROLES:
            page = browsers[role].get(url)
            page.close()
            try:
                block = browsers[role].get(url, headers={"HX-Request": "true"})
            except Exception as error:  # the test app lets exceptions through: a 500 live
                failures.append(f"GET {url} as {role}: block raised {error!r}")
                continue
            block.close()
            if block.status_code != page.status_code:
                failures.append(
                    f"GET {url} as {role}: page {page.status_code}, block {block.status_code}"
                )
    assert not failures, "\n".join(failures)


def test_state_changing_routes_refuse_requests_without_csrf(app, world):
    client = app.test_client()
    client.login(world["users"]["admin"], PASSWORD)
    for (endpoint, method), _expected in EXPECTED.items():
        if method != "POST":
            continue
        response = client.post(_url(app, endpoint, world["args"]), data={})
        assert response.status_code == 400, endpoint


def _browsers(app, world) -> dict:
    browsers = {}
    for role in ROLES:
        browsers[role] = app.test_client()
        if role != "anonymous":
            browsers[role].login(world["users"][role], PASSWORD)
    return browsers


def _matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/login" in response.location
    return response.status_code == expected


# Every route that accepts `as_of` (the past), with the status each role gets when asking
# for today's date: a viewer is refused whatever the value.
AS_OF_ROUTES: dict[tuple[str, str], dict[str, int | str]] = {
    ("matrix.show", ""): past_readers(200),
    ("matrix.export", "xlsx"): past_readers(200),
    ("matrix.export", "csv"): past_readers(200),
    # On to the report with the same query.
    ("reports.index", ""): past_readers(302),
    ("reports.report", ""): past_readers(200),
    ("reports.report_file", "pdf"): past_readers(200),
    ("reports.report_file", "docx"): past_readers(200),
    ("plans.export", "xlsx"): past_readers(200),
    ("plans.export", "csv"): past_readers(200),
    ("plans.show", ""): past_readers(200),
    ("plans.sub_goal", ""): past_readers(200),
}


# Every route that counts changes `since` a moment (the past too): the same rule. Its values
# "last" (the user's own last meeting) and "none" name no moment (see PAST_PARAMETERS).
SINCE_ROUTES: dict[tuple[str, str], dict[str, int | str]] = {
    ("matrix.show", ""): past_readers(200),
    ("matrix.export", "xlsx"): past_readers(200),
    ("matrix.export", "csv"): past_readers(200),
}
PAST_ROUTES = {"as_of": AS_OF_ROUTES, "since": SINCE_ROUTES}


def _as_of_url(app, endpoint, file_format, args, as_of, parameter="as_of") -> str:
    url = _url(app, endpoint, args | ({"file_format": file_format} if file_format else {}))
    query = f"plan_id={args['plan_id']}&" if endpoint == "reports.index" else ""
    return f"{url}?{query}{parameter}={as_of}"


def test_every_past_parameter_is_listed():
    from intranet.web.past import PAST_PARAMETERS

    assert set(PAST_ROUTES) == set(PAST_PARAMETERS)


def _stockholm_today() -> str:
    return clock.today().isoformat()


# Values a viewer may not send either: asking at all is refused, whatever the value, so
# that a viewer learns nothing from it.
REFUSED_VALUES = {
    "as_of": ("igår", "9999-12-31", "0001-01-01T00:00"),
    "since": ("igår", "9999-12-31", "0001-01-01T00:00", "2020-01-01T10:00"),
}


@pytest.mark.slow
@pytest.mark.parametrize("parameter", sorted(PAST_ROUTES))
def test_only_past_readers_may_ask_for_the_past(app, world, parameter):
    browsers = _browsers(app, world)
    failures = []
    for (endpoint, file_format), rule in PAST_ROUTES[parameter].items():
        url = _as_of_url(app, endpoint, file_format, world["args"], _stockholm_today(), parameter)
        for role in ROLES:
            response = browsers[role].get(url)
            response.close()
            if not _matches(response, rule[role]):
                failures.append(
                    f"GET {url} as {role}: expected {rule[role]}, got {response.status_code}"
                )
        for value in REFUSED_VALUES[parameter]:
            url = _as_of_url(app, endpoint, file_format, world["args"], value, parameter)
            response = browsers["viewer"].get(url)
            response.close()
            if response.status_code != 403:
                failures.append(f"GET {url} as viewer: expected 403, got {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("parameter", sorted(PAST_ROUTES))
def test_routes_without_as_of_ignore_it(app, world, parameter):
    """A route that takes no `as_of` (or `since`) answers a viewer who adds one as it would
    without; a route that starts reading it through intranet.web.past refuses and must be
    listed in AS_OF_ROUTES (SINCE_ROUTES)."""
    viewer = _browsers(app, world)["viewer"]
    listed = {endpoint for endpoint, _ in PAST_ROUTES[parameter]}
    failures = []
    for endpoint, method in sorted(EXPECTED, key=_walk_order):
        if method != "GET" or endpoint in listed:
            continue
        url = _url(app, endpoint, world["args"])
        response = viewer.get(f"{url}?{parameter}={_stockholm_today()}")
        response.close()
        expected = EXPECTED[(endpoint, method)]["viewer"]
        if not _matches(response, expected):
            failures.append(
                f"GET {url}?{parameter}=… as viewer: expected {expected}, "
                f"got {response.status_code}"
            )
    assert not failures, "\n".join(failures)


# Whose history each role may read: what their boards own (see permissions.can_read_record_history).
RECORD_HISTORY = {
    ("plan", "plan"): sub_goal_readers(200),
    ("focus_area", "focus_area"): sub_goal_readers(200),
    ("sub_goal", "sub_goal"): sub_goal_readers(200),
    ("follow_up", "follow_up"): sub_goal_readers(200),
    ("activity", "activity"): sub_goal_readers(200),
    ("board", "board_a"): board_a_readers(200),
    ("board", "board_b"): board_b_readers(200),
    # An officer's own account, nobody else's (names, roles, addresses).
    ("user", "officer_a"): board_a_readers(200),
    ("user", "officer_b"): board_b_readers(200),
    ("user", "someone"): signed_in(403) | {"auditor": 200, "admin": 200},
}


def test_record_history_and_compare_follow_what_the_boards_own(app, world):
    browsers = _browsers(app, world)
    newest = world["args"]["transaction_id"]
    failures = []
    for (kind, name), rule in RECORD_HISTORY.items():
        record_id = world["records"][name]
        for url in (
            f"/history/{kind}/{record_id}",
            f"/history/{kind}/{record_id}/compare?a={newest}&b={newest}",
        ):
            for role in ROLES:
                response = browsers[role].get(url)
                response.close()
                if not _matches(response, rule[role]):
                    failures.append(
                        f"GET {url} as {role}: expected {rule[role]}, got {response.status_code}"
                    )
    assert not failures, "\n".join(failures)
