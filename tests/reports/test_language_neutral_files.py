"""Exports and imports independent of the UI language; codes that stay text; exports of
the past that say so on the sheet."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import FollowUp, SubGoal
from intranet.web.spreadsheets import Sheet, write_csv, write_xlsx
from tests.conftest import DEMO_PASSWORD
from tests.foundation import test_spreadsheets as round_files
from tests.foundation.test_spreadsheets import _export, _row_of, _upload
from tests.reports.helpers import demo_plan, transactions

open_round = round_files.open_round  # the fixture: an open 2021 round of the demo plan


def _language(client, language: str) -> None:
    client.post_form("/language", {"language": language, "next": "/plans"})


def test_a_round_file_downloaded_in_english_imports_for_a_swedish_user(client, open_round):
    client.login("officer", DEMO_PASSWORD)
    _language(client, "en")
    workbook = _export(client, open_round)
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:5] == [
        "Sub-goal",
        "Title",
        "Responsible board",
        "Year",
        "Status",
    ]
    row = _row_of(sheet, "5.11")
    assert row[4].value == "Partly done"  # statuses and reasons in English too
    row[4].value = "Done"
    row[5].value = "Finished as planned."
    row[6].value = row[7].value = None
    other = _row_of(sheet, "5.8")
    assert other[6].value == "Partner missing or withdrawn"
    other[7].value = "Familjepedagogen slutade i juni 2021."

    # The same person, or a colleague, now reads the application in Swedish.
    _language(client, "sv")
    before = transactions()
    response = _upload(client, open_round, workbook, htmx=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert "2 delmål ändras" in page
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    response = client.post_form(f"/rounds/{open_round.id}/import/confirm", {"payload": payload})
    assert response.status_code == 302
    assert transactions() == before + 1
    db.session.expire_all()
    follow_ups = {
        code: db.session.scalar(
            select(FollowUp).join(SubGoal).where(SubGoal.code == code, FollowUp.year == 2021)
        )
        for code in ("5.11", "5.8")
    }
    assert (follow_ups["5.11"].status, follow_ups["5.11"].deviation_reason) == ("done", None)
    assert follow_ups["5.8"].deviation_reason == "partner"
    assert follow_ups["5.8"].deviation_text == "Familjepedagogen slutade i juni 2021."

    # A header row that is neither language is still refused.
    workbook = _export(client, open_round)
    workbook.worksheets[0]["E1"].value = "Läge"
    response = _upload(client, open_round, workbook)
    assert response.status_code == 422
    assert "Kolumnerna stämmer inte med mallen" in response.get_data(as_text=True)


def test_codes_stay_text(app_context):
    # XLSX: a code is a text cell, in a column formatted as text, so that one typed there
    # by hand ("5.10") is not turned into the number 5.1 either.
    content = write_xlsx([Sheet("Blad", ["Delmål", "År"], [["5.10", 2021]], text_columns=[0])])
    cells = load_workbook(io.BytesIO(content))["Blad"]
    assert (cells["A2"].value, cells["A2"].data_type, cells["A2"].number_format) == (
        "5.10",
        "s",
        "@",
    )
    assert cells.column_dimensions["A"].number_format == "@"  # rows a person adds
    assert cells["B2"].number_format != "@"
    # CSV opened by double-click: a code that would become a number is a text formula that
    # shows it as it is; other codes, and other columns, are written as stored (guarded).
    content = write_csv(
        ["Delmål", "År", "Titel"],
        [["5.10", 2021, "5.10"], ["4", 2020, "="], ["A.1", 2019, "x"], ["=1+1", 2018, "y"]],
        text_columns=[0],
    )
    assert content.decode("utf-8-sig").splitlines()[1:] == [
        '"=""5.10""";2021;5.10',
        '"=""4""";2020;\'=',
        "A.1;2019;x",
        "'=1+1;2018;y",
    ]


def test_exports_of_the_past_say_so_on_the_sheet(client, demo):
    plan = demo_plan()
    client.login("auditor", DEMO_PASSWORD)
    note = "Historiska uppgifter: så som de såg ut 2019-06-01, inte dagens."

    # The plan page as of a date links to the export of that same moment.
    page = client.get(f"/plans/{plan.id}?as_of=2019-06-01").get_data(as_text=True)
    assert f"/plans/{plan.id}/export.xlsx?as_of=2019-06-01" in page

    response = client.get(f"/plans/{plan.id}/export.xlsx?as_of=2019-06-01")
    assert response.status_code == 200
    assert "-per-2019-06-01.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == note, sheet.title
    follow_ups = workbook["Uppföljningar"]
    assert follow_ups["A2"].value == "Fokusområde"
    # As the plan stood then: only the 2018 follow-ups had been reported.
    assert {row[4] for row in follow_ups.iter_rows(min_row=3, values_only=True)} == {2018}
    codes = [row[1] for row in workbook["Delmål"].iter_rows(min_row=3, values_only=True)]
    assert codes[-1] == "5.11" and workbook["Delmål"]["B3"].number_format == "@"

    lines = client.get(f"/plans/{plan.id}/export.csv?as_of=2019-06-01").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(lines), delimiter=";"))
    assert rows[0] == [note]
    assert rows[1][:2] == ["Fokusområde", "Delmål"]

    matrix = client.get("/matrix.xlsx?as_of=2019-06-01")
    sheet = load_workbook(io.BytesIO(matrix.data)).worksheets[0]
    assert sheet["A1"].value == note and sheet["A2"].value == "Plan"
    matrix_csv = client.get("/matrix.csv?as_of=2019-06-01").data.decode("utf-8-sig")
    assert matrix_csv.splitlines()[0] == note

    # Today's exports carry no such line; a bad date is explained; a viewer may not ask.
    today = load_workbook(io.BytesIO(client.get(f"/plans/{plan.id}/export.xlsx").data))
    assert today["Plan"]["A1"].value == "Titel"
    assert not client.get("/matrix.csv").data.decode("utf-8-sig").startswith("Historiska")
    bad = client.get(f"/plans/{plan.id}/export.xlsx?as_of=2015-01-01")
    assert bad.status_code == 422
    assert "Planen fanns inte vid det datumet." in bad.get_data(as_text=True)
    client.post_form("/logout")
    client.login("viewer", DEMO_PASSWORD)
    assert client.get(f"/plans/{plan.id}/export.xlsx?as_of=2019-06-01").status_code == 403
