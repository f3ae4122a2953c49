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
        htmx=True,
    )
    _assert_sane(response, {204, 400, 422})
    if response.status_code == 204:
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
