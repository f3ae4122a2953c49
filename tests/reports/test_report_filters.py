"""The report's filters are read like the matrix's: an unusable value gets its message
next to its own field, and everything else the user chose stays chosen."""

import re

import pytest


@pytest.fixture
def chosen(client, make):
    board = make.board(name="Socialnämnden")
    other = make.board(name="Kulturnämnden")
    plan = make.plan(start_year=2018, end_year=2021)
    health = make.focus_area(plan=plan, number="5", title="Rätten till en god hälsa")
    work = make.focus_area(plan=plan, number="6", title="Rätten till arbete")
    make.sub_goal(focus_area=health, boards=[board], code="5.1", title="Hälsa")
    make.sub_goal(focus_area=work, boards=[other], code="6.1", title="Arbete")
    client.login(make.user("auditor", username="revisorn").username)
    return {"plan": plan, "board": board, "other": other}


def _field(page: str, name: str) -> str:
    return re.search(rf'<select id="filter-{name}".*?</select>', page, re.S).group(0)


def _selected(page: str, name: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', _field(page, name))


def _error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="filter-{name}-error">(.*?)</p>', page)
    return found.group(1) if found else None


GOOD = {"board_id": None, "year": "2020", "focus_area": "5", "earlier": "y", "as_of": "2030-01-01"}


@pytest.mark.parametrize(
    "name, bad, message",
    [
        ("board_id", "99999", "Välj en nämnd i listan."),
        ("year", "2017", "Välj ett år i listan."),
        ("year", "tjugo", "Välj ett år i listan."),
        ("focus_area", "9", "Välj ett fokusområde i listan."),
    ],
)
def test_a_bad_filter_is_explained_by_its_field_and_the_others_are_kept(
    client, chosen, name, bad, message
):
    plan, board = chosen["plan"], chosen["board"]
    args = {**GOOD, "board_id": str(board.id), "as_of": "", name: bad}
    response = client.get(f"/plans/{plan.id}/report", query_string=args)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error(page, name) == message
    assert f'aria-invalid="true" aria-describedby="filter-{name}-error"' in _field(page, name)
    assert _selected(page, name) == []  # back to "all", with the message
    for other in {"board_id", "year", "focus_area"} - {name}:
        assert _selected(page, other) == [args[other]]
        assert _error(page, other) is None
    assert '<input id="filter-earlier" name="earlier" type="checkbox" value="y" checked>' in page
    assert '<article class="report">' not in page  # no report of a choice not asked for


def test_a_bad_date_is_explained_by_its_field_and_the_choices_are_kept(client, chosen):
    plan, board = chosen["plan"], chosen["board"]
    args = {**GOOD, "board_id": str(board.id), "as_of": "igår"}
    response = client.get(f"/plans/{plan.id}/report", query_string=args)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ange datum som ÅÅÅÅ-MM-DD" in _error(page, "as_of")
    assert 'value="igår" aria-invalid="true"' in page
    assert 'aria-describedby="filter-as_of-hint filter-as_of-error"' in page
    assert [_selected(page, n) for n in ("board_id", "year", "focus_area")] == [
        [str(board.id)],
        ["2020"],
        ["5"],
    ]


def test_the_reports_own_addresses_keep_working(client, chosen):
    plan, board = chosen["plan"], chosen["board"]
    # "None" was the form's value for "all" before: saved addresses hold it.
    old = client.get(
        f"/plans/{plan.id}/report?board_id={board.id}&year=None&focus_area=None&earlier=y"
    )
    assert old.status_code == 200
    page = old.get_data(as_text=True)
    assert "5.1 Hälsa" in page and "6.1 Arbete" not in page
    assert f'/plans/{plan.id}/report.docx?board_id={board.id}&amp;earlier=y"' in page
    assert _selected(page, "board_id") == [str(board.id)]
    chosen_page = client.get(f"/reports?plan_id={plan.id}").get_data(as_text=True)
    assert _selected(chosen_page, "plan_id") == [str(plan.id)]
    boards = re.findall(r'<option value="([^"]*)">', _field(chosen_page, "board_id"))
    assert boards == ["", str(chosen["other"].id), str(board.id)]  # by name
