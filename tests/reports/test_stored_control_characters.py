"""A control character already in the database (stored before the model layer removed them,
or around it) never breaks a page, an export or a report for anyone."""

import csv
import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import (
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    ReportComment,
    ReportingRound,
    Strategy,
    SubGoal,
    Tag,
    Transaction,
    User,
)
from intranet.models.base import text_columns

# ESC (as in a pasted terminal colour code), form feed, SOH, DEL, a C1 control, U+FFFE.
BAD = "\x1b[31m\x0c\x01\x7f\x85\ufffe"
# Codes that the application maps to labels: a stored unknown code is another matter.
CODES = {"status", "role", "kind", "deviation_reason", "locale"}
MODELS = (Board, User, Strategy, Plan, FocusArea, SubGoal, FollowUp, Activity, Tag, ReportComment)


@pytest.fixture
def spoiled(make):
    """A plan with everything the exports show, then control characters written into every
    free-text column and the change notes with plain SQL, around the model layer."""
    board = make.board(name="Socialnämnden")
    strategy = make.strategy()
    plan = make.plan(strategy=strategy, start_year=2018, end_year=2021)
    area = make.focus_area(plan=plan, number="5", title="Rätten till arbete")
    sub_goal = make.sub_goal(focus_area=area, boards=[board], code="5.1", title="Praktik")
    make.follow_up(
        sub_goal=sub_goal,
        year=2020,
        status="partly_done",
        outcome="Hälften av platserna.",
        deviation_reason="external",
        deviation_text="Pandemin.",
        next_steps="Nya platser.",
    )
    make.activity(sub_goal=sub_goal, title="Praktikplatser", responsible_unit="Enheten")
    admin = make.user("admin", display_name="Ada Admin")
    with acting_as(admin.id, "Kommentar"):
        tag = Tag(kind="district", name="Skäggetorp")
        db.session.add(tag)
        db.session.flush()
        sub_goal.set_tags("district", [tag])
        db.session.add(ReportComment(plan_id=plan.id, board_id=board.id, year=None, text="Bra."))
        db.session.add(
            ReportingRound(plan_id=plan.id, year=2020, deadline=date(2021, 2, 1), is_open=True)
        )
        db.session.commit()
    for model in MODELS:
        for column in text_columns(model):
            if column.free_text and column.key not in CODES:
                name = model.__table__.c[column.key].name
                # Short codes only get the characters in front, within their length.
                short = column.max_length is not None and column.max_length < 40
                db.session.execute(
                    text(
                        f'UPDATE "{model.__tablename__}" '
                        f'SET "{name}" = :bad || COALESCE("{name}", \'\') || :end'
                    ),
                    {"bad": BAD, "end": "" if short else BAD},
                )
    db.session.execute(text('UPDATE "transaction" SET note = :bad || note'), {"bad": BAD})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(SubGoal, sub_goal.id).title == f"{BAD}Praktik{BAD}"
    return {"plan": plan, "board": board, "admin": admin, "sub_goal": sub_goal}


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_every_export_and_report_format_downloads(client, spoiled):
    plan, board = spoiled["plan"], spoiled["board"]
    round_id = db.session.scalar(text("SELECT id FROM reporting_round"))
    client.login(spoiled["admin"].username)

    for url in (
        f"/matrix.xlsx?plan={plan.id}",
        f"/plans/{plan.id}/export.xlsx",
        f"/rounds/{round_id}/export.xlsx",
    ):
        workbook = load_workbook(io.BytesIO(_get(client, url).data))
        cells = [
            value
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        ]
        assert any("Praktik" in value for value in cells), url
        assert not any("\x1b" in value or "\x01" in value for value in cells), url

    for url in (f"/matrix.csv?plan={plan.id}", f"/plans/{plan.id}/export.csv", "/audit.csv"):
        content = _get(client, url).data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
        assert len(rows) > 1, url
        assert "\x1b" not in content and "\x01" not in content, url

    for query in ("", f"?board_id={board.id}", f"?board_id={board.id}&year=2020"):
        document = Document(io.BytesIO(_get(client, f"/plans/{plan.id}/report.docx{query}").data))
        body = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert "Praktik" in body and "Pandemin." in body
        pdf = PdfReader(io.BytesIO(_get(client, f"/plans/{plan.id}/report.pdf{query}").data))
        assert "Praktik" in "".join(page.extract_text() for page in pdf.pages)


def test_pages_show_and_writes_clean_the_stored_text(client, spoiled):
    plan, sub_goal = spoiled["plan"], spoiled["sub_goal"]
    client.login(spoiled["admin"].username)
    for url in (
        f"/matrix?plan={plan.id}",
        f"/plans/{plan.id}",
        f"/sub-goals/{sub_goal.id}",
        f"/plans/{plan.id}/report?board_id={spoiled['board'].id}",
        "/audit",
        f"/history/sub_goal/{sub_goal.id}",
    ):
        _get(client, url)
    # Archiving writes the record: its stored text is cleaned on the way, not refused.
    activity_id = db.session.scalar(text("SELECT id FROM activity"))
    response = client.post_form(f"/archive/activity/{activity_id}", {"note": "Klar"})
    assert response.status_code == 302
    db.session.expire_all()
    activity = db.session.get(Activity, activity_id)
    assert activity.is_archived and activity.title == "[31mPraktikplatser[31m"
    assert db.session.get(Transaction, activity.versions.all()[-1].transaction_id).note == "Klar"
