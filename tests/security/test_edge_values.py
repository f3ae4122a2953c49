"""Numbers, dates and redirect targets at the edges: a 4xx with a message, never a 500.

Ids too large for the database's integer columns (25 digits), digits that are not 0-9,
far-out dates, non-finite numbers in spreadsheet cells and redirect targets with line breaks.
"""

import io

import pytest
from openpyxl import load_workbook

from intranet.core.numbers import MAX_INTEGER, parse_id, spreadsheet_whole
from tests.rounds.test_services import _round

HUGE = "1" + "0" * 24
NOT_IDS = [HUGE, str(MAX_INTEGER + 1), "²", "٣", "1_0", "-1", "0", " ", "1e3"]


@pytest.fixture
def admin_client(client, make):
    client.login(make.user("admin", username="chefen").username)
    return client


@pytest.mark.parametrize("value", NOT_IDS)
def test_nothing_but_ascii_digits_within_the_database_range_is_an_id(value):
    assert parse_id(value) is None
    assert parse_id(str(MAX_INTEGER)) == MAX_INTEGER
    assert parse_id(" 12 ") == 12


@pytest.mark.parametrize(
    "value, expected",
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("12.0", 12),
        (float("inf"), None),
        ("inf", None),
        ("-inf", None),
        (float("nan"), None),
        ("nan", None),
        (1e20, None),
        ("1e20", None),
        (2.5, None),
        ("²", None),
        (True, None),
        (HUGE, None),
    ],
)
def test_spreadsheet_whole_numbers(value, expected):
    assert spreadsheet_whole(value) == expected


@pytest.mark.parametrize("value", [HUGE, "²", str(MAX_INTEGER + 1)])
def test_ids_in_query_strings_are_refused_with_a_message(admin_client, make, value):
    sub_goal = make.sub_goal()
    plan_id = sub_goal.plan.id
    for url, params, expected in [
        ("/reports", {"plan_id": value}, {200}),
        (f"/plans/{plan_id}/report", {"plan_id": value}, {200}),
        (f"/plans/{plan_id}/report", {"board_id": value}, {422}),
        (f"/plans/{plan_id}/report", {"year": value}, {422}),
        ("/audit", {"user": value}, {400}),
        ("/audit", {"board": value}, {400}),
        ("/audit", {"plan": value}, {400}),
        ("/audit", {"before": value}, {200}),
        (f"/history/sub_goal/{sub_goal.id}/compare", {"a": value, "b": "1"}, {400}),
        ("/matrix", {"plan": value}, {422}),
        ("/matrix", {"board": value}, {422}),
        ("/matrix", {"from_year": value}, {422}),
        ("/matrix", {"refresh": value}, {200}),
    ]:
        response = admin_client.get(url, query_string=params)
        assert response.status_code in expected, (url, params, response.status_code)


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_ids_in_forms_are_refused_not_a_500(admin_client, make, value):
    sub_goal = make.sub_goal()
    plan = sub_goal.plan
    board = make.board()
    cases = [
        (f"/plans/{plan.id}/report/comments", {"board_id": value, "text": "x"}, {404}),
        (f"/plans/{plan.id}/report/comments", {"board_id": board.id, "year": value}, {404}),
        ("/rounds", {"plan_id": value, "year": "2019", "deadline": "2020-01-01"}, {422}),
        (
            "/admin/users/new",
            {
                "username": "nyanvandare",
                "display_name": "Ny",
                "role": "officer",
                "boards": [value],
                "password": "ett-bra-losenord-langt",
            },
            {422},
        ),
        ("/plans/import", {"strategy_id": value}, {422}),
    ]
    for url, data, expected in cases:
        response = admin_client.post_form(url, data)
        assert response.status_code in expected, (url, data, response.status_code)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
@pytest.mark.parametrize("name", ["from", "to"])
def test_audit_log_dates_far_out_are_not_a_500(admin_client, name, day):
    for url in ("/audit", "/audit.csv"):
        response = admin_client.get(url, query_string={name: day})
        assert response.status_code in (200, 400), (url, response.status_code)
    if day.startswith("9999"):
        assert admin_client.get("/audit", query_string={name: day}).status_code == 200
    else:
        page = admin_client.get("/audit", query_string={name: day}).get_data(as_text=True)
        assert "Ange ett datum från och med 1900-01-01." in page


@pytest.mark.parametrize(
    "target",
    [
        "/plans\r\nSet-Cookie: stolen=1",
        "/plans\nX-Injected: 1",
        "/plans\u2028x",
        "/plans\tx",
        "/plans x",
        "/plans\x7f",
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
    ],
)
def test_unsafe_next_targets_fall_back_to_a_page_of_the_site(client, make, target):
    user = make.user("viewer")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={
            "username": user.username,
            "password": make.password,
            "csrf_token": client.csrf_token(),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/plans"
    response = client.post_form("/language", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/plans"


def _round_workbook(client, reporting_round):
    response = client.get(f"/rounds/{reporting_round.id}/export.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


@pytest.mark.parametrize("value", [float("inf"), "inf", 1e20, "1e20", float("nan"), "-inf", 2.5])
# D: year, J: sub-goal id, L: lock version (the hidden columns the import reads).
@pytest.mark.parametrize("column", ["D", "J", "L"])
def test_non_finite_and_huge_numbers_in_the_round_files_id_cells_are_row_errors(
    client, make, column, value
):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    reporting_round = _round(sub_goal.plan, 2019)
    make.follow_up(sub_goal=sub_goal, year=2019)
    client.login(make.user("officer", boards=[board]).username)
    workbook = _round_workbook(client, reporting_round)
    sheet = workbook.worksheets[0]
    sheet[f"{column}2"].value = value
    sheet["E2"].value = "Pågår"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    response = client.post_form(
        f"/rounds/{reporting_round.id}/import",
        {"file": (buffer, "uppfoljning.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.status_code
    assert "Rad 2" in response.get_data(as_text=True)
