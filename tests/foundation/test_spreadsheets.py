import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import FollowUp, ReportingRound, SubGoal
from intranet.web.spreadsheets import Sheet, safe_cell, write_csv, write_xlsx
from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES
from tests.reports.helpers import demo_plan, transactions
from tests.rounds.test_routes import switch_user
from tests.rounds.test_services import _round


def test_cells_that_look_like_formulas_are_written_as_text():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("Text") == "Text"
    workbook = load_workbook(io.BytesIO(write_xlsx([Sheet("Blad", ["A"], [["=1+1"]])])))
    assert workbook["Blad"]["A2"].value == "'=1+1"
    assert write_csv(["a"], [["-2"]]).decode("utf-8-sig").splitlines()[1] == "'-2"


def _plan_xlsx_export_has_the_whole_plan(client, demo):
    response = client.get(f"/plans/{demo_plan().id}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Plan", "Fokusområden", "Delmål", "Aktiviteter", "Uppföljningar"]
    codes = [row[1] for row in workbook["Delmål"].iter_rows(min_row=2, values_only=True)]
    assert codes == SEED_CODES
    follow_ups = list(workbook["Uppföljningar"].iter_rows(min_row=2, values_only=True))
    assert len(follow_ups) == 64
    deviations = [row for row in follow_ups if row[7] == "Yttre omständigheter (t.ex. pandemi)"]
    assert deviations and {row[4] for row in deviations} <= {2020, 2021}
    assert any("covid" in (row[8] or "").lower() for row in deviations)


def _plan_csv_export(client, demo):
    response = client.get(f"/plans/{demo_plan().id}/export.csv")
    text = response.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Fokusområde;Delmål;Titel")
    # Read as a spreadsheet reads it: each code a text formula that shows it unchanged.
    rows = list(csv.reader(lines[1:], delimiter=";"))
    assert {row[1] for row in rows} == {f'="{code}"' for code in SEED_CODES}
    assert {row[0] for row in rows} == {'="4"', '="5"'}


@pytest.fixture
def open_round(demo):
    with acting_as(None, "test data"):
        reporting_round = ReportingRound(
            plan_id=demo_plan().id, year=2021, deadline=date(2022, 2, 15), is_open=True
        )
        db.session.add(reporting_round)
        db.session.commit()
    return reporting_round


def _export(client, reporting_round):
    response = client.get(f"/rounds/{reporting_round.id}/export.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _upload(client, reporting_round, workbook, htmx=False):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return client.post_form(
        f"/rounds/{reporting_round.id}/import",
        {"file": (buffer, "uppfoljning.xlsx")},
        htmx=htmx,
        content_type="multipart/form-data",
    )


def _row_of(sheet, code):
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            return row
    raise AssertionError(code)


def _round_export_has_a_row_per_sub_goal_with_hidden_ids(client, open_round):
    sheet = _export(client, open_round).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:9] == [
        "Delmål",
        "Titel",
        "Ansvarig nämnd",
        "År",
        "Status",
        "Redovisning",
        "Avvikelseorsak",
        "Beskrivning av avvikelse",
        "Nästa steg",
    ]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == SEED_CODES
    assert all(sheet.column_dimensions[letter].hidden for letter in "JKL")
    assert all(row[3] == 2021 for row in sheet.iter_rows(min_row=2, values_only=True))


def _round_import_previews_then_writes_one_transaction(client, open_round):
    workbook = _export(client, open_round)
    sheet = workbook.worksheets[0]
    row = _row_of(sheet, "5.11")
    row[4].value = "Genomförd"
    row[5].value = "Allt klart enligt plan."
    row[6].value = None
    row[7].value = None
    other = _row_of(sheet, "4.1")
    other[8].value = "Fortsätt med kvinnogrupperna."

    before = transactions()
    response = _upload(client, open_round, workbook, htmx=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert "2 delmål ändras" in page
    assert "Allt klart enligt plan." in page
    assert "Fortsätt med kvinnogrupperna." in page
    assert transactions() == before  # the preview writes nothing

    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    response = client.post_form(f"/rounds/{open_round.id}/import/confirm", {"payload": payload})
    assert response.status_code == 302
    assert transactions() == before + 1
    db.session.expire_all()
    follow_up = db.session.scalar(
        select(FollowUp).join(SubGoal).where(SubGoal.code == "5.11", FollowUp.year == 2021)
    )
    assert (follow_up.status, follow_up.outcome, follow_up.deviation_reason) == (
        "done",
        "Allt klart enligt plan.",
        None,
    )

    # The same file again is stale: its lock versions no longer match.
    response = _upload(client, open_round, workbook)
    assert response.status_code == 422
    assert "har ändrats av någon annan" in response.get_data(as_text=True)


def _round_import_with_errors_writes_nothing(client, open_round):
    workbook = _export(client, open_round)
    sheet = workbook.worksheets[0]
    row = _row_of(sheet, "4.2")
    row[4].value = "Avbruten"
    row[6].value = None
    row[7].value = None
    _row_of(sheet, "4.3")[4].value = "Kanske"
    _row_of(sheet, "4.4")[5].value = "Kontakt: 19811218-9876"
    before = transactions()
    response = _upload(client, open_round, workbook)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 fel – inget har sparats" in page
    number_42 = _row_of(sheet, "4.2")[0].row
    assert f"Rad {number_42}, kolumn G (Avvikelseorsak)" in page
    assert (
        f"Rad {_row_of(sheet, '4.3')[0].row}, kolumn E (Status): Välj en status i listan." in page
    )
    assert f"Rad {_row_of(sheet, '4.4')[0].row}, kolumn F (Redovisning)" in page
    assert 'name="payload"' not in page
    assert transactions() == before


def _import_refuses_other_files_and_closed_rounds(client, open_round):
    response = client.post_form(
        f"/rounds/{open_round.id}/import",
        {"file": (io.BytesIO(b"inte en excelfil"), "data.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Filen är inte en Excelfil" in response.get_data(as_text=True)
    response = client.post_form(
        f"/rounds/{open_round.id}/import",
        {"file": (io.BytesIO(b"PK\x03\x04trasig"), "data.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "kunde inte läsas" in response.get_data(as_text=True)

    workbook = _export(client, open_round)
    open_round = db.session.get(ReportingRound, open_round.id)
    open_round.is_open = False
    with acting_as(None, "test data"):
        db.session.commit()
    response = _upload(client, open_round, workbook)
    assert response.status_code == 422
    assert "Omgången är stängd" in response.get_data(as_text=True)


def test_import_permissions(client, make):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    reporting_round = _round(sub_goal.plan, 2019)
    url = f"/rounds/{reporting_round.id}/import"
    client.login(make.user("auditor").username)
    assert client.get(url).status_code == 403
    assert client.post_form(url).status_code == 403
    switch_user(client, make.user("officer", boards=[make.board()]).username)
    assert client.post_form(url).status_code == 403
    assert client.post_form(f"{url}/confirm", {"payload": "x"}).status_code == 403
    switch_user(client, make.user("officer", boards=[board]).username)
    assert client.get(url).status_code == 200
    assert client.post_form(f"{url}/confirm", {"payload": "forged"}).status_code == 400


# Loading the demo data is the slow part: each test below loads it once.


def test_plan_exports_and_round_workbook_round_trip(client, open_round):
    client.login("officer", DEMO_PASSWORD)
    _plan_xlsx_export_has_the_whole_plan(client, None)
    _plan_csv_export(client, None)
    _round_export_has_a_row_per_sub_goal_with_hidden_ids(client, open_round)
    _round_import_previews_then_writes_one_transaction(client, open_round)


def test_round_import_errors(client, open_round):
    client.login("officer", DEMO_PASSWORD)
    _round_import_with_errors_writes_nothing(client, open_round)
    _import_refuses_other_files_and_closed_rounds(client, open_round)
