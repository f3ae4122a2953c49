"""Property-based tests of every form and query parameter: whatever is sent, never a 500;
unknown values are refused; markup comes back escaped; ids out of range are a 404."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from intranet.models import ROLES

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' onmouseover='alert(1)",
        "</textarea><svg onload=alert(1)>",
    ]
)
ANY_TEXT = st.one_of(st.text(max_size=300), MARKUP, st.just("\x00"), st.just(" " * 5))


def _assert_sane(response, allowed):
    assert response.status_code != 500
    assert response.status_code in allowed, response.status_code
    body = response.get_data(as_text=True)
    assert "Traceback" not in body


def _assert_escaped(response, *values):
    body = response.get_data(as_text=True)
    for value in values:
        if value and "<" in value and "\x00" not in value:
            assert value not in body
            if response.status_code == 422:
                assert str(escape(value)) in body or value.strip() != value


@pytest.fixture
def admin_client(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    return client


@SETTINGS
@given(username=ANY_TEXT, password=ANY_TEXT, next_url=ANY_TEXT)
def test_login_form(client, username, password, next_url):
    response = client.post(
        "/login",
        query_string={"next": next_url},
        data={"username": username, "password": password, "csrf_token": client.csrf_token()},
    )
    _assert_sane(response, {400, 401, 422, 429})
    _assert_escaped(response, username)


@SETTINGS
@given(language=st.one_of(st.sampled_from(["sv", "en"]), ANY_TEXT), next_url=ANY_TEXT)
def test_language_form(client, language, next_url):
    response = client.post_form("/language", {"language": language, "next": next_url})
    _assert_sane(response, {302, 400})
    if response.status_code == 302:
        assert language in ("sv", "en")
        location = response.location
        # Only same-site targets: no open redirect.
        assert location.startswith("/") and not location.startswith("//"), location


@SETTINGS
@given(
    username=st.one_of(st.from_regex(r"\A[a-z]{3,10}\Z"), ANY_TEXT),
    display_name=ANY_TEXT,
    role=st.one_of(st.sampled_from(list(ROLES)), ANY_TEXT),
    boards=st.lists(st.one_of(st.integers(-5, 10**12).map(str), ANY_TEXT), max_size=3),
    password=st.one_of(st.just("ett-bra-losenord-langt"), ANY_TEXT),
)
def test_new_user_form(admin_client, username, display_name, role, boards, password):
    response = admin_client.post_form(
        "/admin/users/new",
        {
            "username": username,
            "display_name": display_name,
            "role": role,
            "boards": boards,
            "password": password,
        },
    )
    _assert_sane(response, {302, 400, 422})
    if response.status_code == 302:
        assert role in ROLES
    _assert_escaped(response, display_name)


@SETTINGS
@given(
    display_name=ANY_TEXT,
    role=st.one_of(st.sampled_from(list(ROLES)), ANY_TEXT),
    note=ANY_TEXT,
)
def test_edit_user_form(admin_client, make, display_name, role, note):
    user = make.user("viewer")
    response = admin_client.post_form(
        f"/admin/users/{user.id}/edit",
        {"display_name": display_name, "role": role, "note": note},
    )
    _assert_sane(response, {302, 400, 422})
    if response.status_code == 302:
        assert role in ROLES and display_name.strip()
    _assert_escaped(response, display_name)


@SETTINGS
@given(password=ANY_TEXT, confirm=ANY_TEXT)
def test_reset_password_form(admin_client, make, password, confirm):
    user = make.user("viewer")
    response = admin_client.post_form(
        f"/admin/users/{user.id}/password", {"password": password, "confirm": confirm}
    )
    _assert_sane(response, {302, 400, 422})
    if response.status_code == 302:
        assert password == confirm and len(password) >= 12


@SETTINGS
@given(status=ANY_TEXT)
def test_user_list_filter(admin_client, status):
    response = admin_client.get("/admin/users", query_string={"status": status})
    _assert_sane(response, {200, 400})
    if response.status_code == 200:
        assert status in ("active", "inactive", "all")


@SETTINGS
@given(number=st.integers(min_value=0, max_value=10**30))
def test_ids_out_of_range_are_not_found(admin_client, number):
    for url in (
        f"/admin/users/{number}/edit",
        f"/plans/{number}",
        f"/sub-goals/{number}",
    ):
        _assert_sane(admin_client.get(url), {200, 404})


MATRIX_PARAMS = (
    "plan",
    "board",
    "focus_area",
    "status",
    "deviation",
    "district",
    "target_group",
    "from_year",
    "to_year",
    "q",
    "meeting",
    "refresh",
    "as_of",
)
YEARS = st.one_of(st.integers(-(10**6), 10**12).map(str), ANY_TEXT)


@SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(MATRIX_PARAMS), st.one_of(ANY_TEXT, YEARS, st.just("all")), max_size=6
    )
)
def test_matrix_filters(admin_client, params):
    for url in ("/matrix", "/matrix.csv"):
        response = admin_client.get(url, query_string=params)
        _assert_sane(response, {200, 400, 422})
    if response.status_code == 200 and params.get("q"):
        assert "<script>" not in response.get_data(as_text=True)


@SETTINGS
@given(from_year=YEARS, to_year=YEARS, as_of=st.one_of(st.dates().map(str), ANY_TEXT))
def test_matrix_years_and_dates_out_of_range_are_explained(admin_client, from_year, to_year, as_of):
    response = admin_client.get(
        "/matrix", query_string={"from_year": from_year, "to_year": to_year, "as_of": as_of}
    )
    _assert_sane(response, {200, 400, 422})
    if response.status_code == 422:
        assert 'class="field-error"' in response.get_data(as_text=True)


@pytest.fixture
def sub_goal(make):
    return make.sub_goal()


@SETTINGS
@given(
    status=st.one_of(st.sampled_from(["ongoing", "done", "not_done"]), ANY_TEXT),
    outcome=ANY_TEXT,
    reason=st.one_of(st.sampled_from(["", "external", "other"]), ANY_TEXT),
    deviation_text=ANY_TEXT,
    lock_version=st.one_of(st.just("0"), ANY_TEXT),
    note=ANY_TEXT,
)
def test_follow_up_form(
    admin_client, sub_goal, status, outcome, reason, deviation_text, lock_version, note
):
    response = admin_client.post_form(
        f"/sub-goals/{sub_goal.id}/follow-ups/2018/edit",
        {
            "status": status,
            "outcome": outcome,
            "deviation_reason": reason,
            "deviation_text": deviation_text,
            "next_steps": "",
            "lock_version": lock_version,
            "note": note,
        },
        htmx=True,
    )
    _assert_sane(response, {200, 400, 409, 422})
    if response.status_code == 200:
        assert status in ("ongoing", "done", "not_done")
    _assert_escaped(response, outcome, deviation_text)


@SETTINGS
@given(
    title=ANY_TEXT,
    from_year=YEARS,
    to_year=YEARS,
    status=st.one_of(st.sampled_from(["planned", "done"]), ANY_TEXT),
)
def test_activity_form(admin_client, sub_goal, title, from_year, to_year, status):
    response = admin_client.post_form(
        f"/sub-goals/{sub_goal.id}/activities/new",
        {
            "title": title,
            "planned_from_year": from_year,
            "planned_to_year": to_year,
            "status": status,
            "lock_version": "0",
        },
    )
    _assert_sane(response, {302, 400, 422})
    if response.status_code == 302 and (from_year.strip() or to_year.strip()):
        # Undated (both blank), or a start within the plan and an end (blank: the same
        # year) within the strategy.
        start = int(from_year)
        end = int(to_year) if to_year.strip() else start
        assert 2018 <= start <= 2021 and start <= end <= 2032
    _assert_escaped(response, title)


@SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(["user", "from", "to", "board", "plan", "kind", "q", "before"]),
        st.one_of(ANY_TEXT, YEARS, st.dates().map(str)),
        max_size=5,
    )
)
def test_audit_log_filters(admin_client, params):
    for url in ("/audit", "/audit.csv"):
        _assert_sane(admin_client.get(url, query_string=params), {200, 400, 422})


@SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(["board_id", "year", "as_of"]), st.one_of(ANY_TEXT, YEARS), max_size=3
    )
)
def test_report_parameters(admin_client, sub_goal, params):
    plan_id = sub_goal.plan.id
    _assert_sane(
        admin_client.get(f"/plans/{plan_id}/report", query_string=params), {200, 400, 404, 422}
    )
