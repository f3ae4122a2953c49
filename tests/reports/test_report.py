import io
import re

from pypdf import PdfReader

from intranet.extensions import db
from intranet.models import ReportComment
from intranet.reading.asof import parse_as_of
from intranet.reports.queries import build_report
from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES
from tests.reports.helpers import demo_plan, docx_text, social_board, transactions
from tests.rounds.test_routes import switch_user


def _report_holds_every_sub_goal_and_the_covid_deviations(demo):
    report = build_report(demo_plan().id, social_board().id)
    assert [s.code for s in report.sub_goals] == SEED_CODES
    assert report.period == "2018–2021"
    assert [a.number for a in report.focus_areas] == ["4", "5"]
    deviations = report.deviations
    assert deviations
    assert {d.follow_up.year for d in deviations} <= {2020, 2021}
    assert any(d.follow_up.deviation_reason == "external" for d in deviations)
    assert any("covid" in (d.follow_up.deviation_text or "").lower() for d in deviations)


def _report_as_of_a_past_date_reads_the_history(demo):
    plan_id = demo_plan().id
    early = build_report(plan_id, year=None, as_of=parse_as_of("2019-06-01"))
    assert {f.year for s in early.sub_goals for f in s.follow_ups} == {2018}
    assert early.deviations == []
    assert build_report(plan_id, as_of=parse_as_of("2017-01-01")) is None


def _html_report_for_a_year(client, demo):
    plan, board = demo_plan(), social_board()
    response = client.get(f"/plans/{plan.id}/report?board_id={board.id}&year=2020")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        "Redovisning av social- och omsorgsnämndens arbete med Handlingsplan för romsk "
        "inkludering, år 2020"
    ) in page
    assert "Period: 2020" in page
    # Nothing written for 2020 and no form for a viewer: no empty section either.
    assert "Avslutande kommentarer" not in page and "Inga kommentarer" not in page
    assert "Orsak: yttre omständigheter." in page
    assert "(t.ex." not in page
    assert re.findall(r"<h3>(\d+\.\d+) ", page) == SEED_CODES
    assert 'role="img"' in page and "<desc" in page
    # A viewer reads but does not write the closing comments, and sees today only.
    assert "Spara kommentarerna" not in page
    assert 'name="as_of"' not in page
    assert client.get(f"/plans/{plan.id}/report?as_of=2019-06-01").status_code == 403


def _report_as_of_a_past_date(client, demo):
    plan = demo_plan()
    page = client.get(f"/plans/{plan.id}/report").get_data(as_text=True)
    assert 'name="as_of"' in page
    page = client.get(f"/plans/{plan.id}/report?as_of=2019-06-01").get_data(as_text=True)
    assert "Uppgifter per 2019-06-01" in page
    assert "Orsak: yttre omständigheter" not in page
    # The same formats as every page that shows the past: a time of day too.
    page = client.get(f"/plans/{plan.id}/report?as_of=2019-06-01T12:00").get_data(as_text=True)
    assert "Uppgifter per 2019-06-01 12:00" in page


def _bad_report_date_is_explained(client, demo):
    plan = demo_plan()
    response = client.get(f"/plans/{plan.id}/report?as_of=igår")
    assert response.status_code == 422
    assert "Ange datum som ÅÅÅÅ-MM-DD" in response.get_data(as_text=True)
    response = client.get(f"/plans/{plan.id}/report?as_of=2015-01-01")
    assert response.status_code == 422
    assert "Planen fanns inte vid det datumet." in response.get_data(as_text=True)


def _docx_report_is_complete(client, demo):
    plan, board = demo_plan(), social_board()
    response = client.get(f"/plans/{plan.id}/report.docx?board_id={board.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = docx_text(response.data)
    for code in SEED_CODES:
        assert re.search(rf"^{re.escape(code)} ", text, re.M), code
    assert "Inledning" in text
    assert "Fokusområde 4. Rätten till jämlika villkor" in text
    assert "Orsak: yttre omständigheter." in text
    assert "(t.ex." not in text
    assert "covid-19" in text.lower()
    assert "Avslutande kommentarer" in text
    assert SOCIAL_BOARD_TEXT in text


SOCIAL_BOARD_TEXT = "Social- och omsorgsnämnden"


def _pdf_report_has_text(client, demo):
    plan = demo_plan()
    response = client.get(f"/plans/{plan.id}/report.pdf?year=2021")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 1
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Redovisning av arbetet med Handlingsplan för romsk inkludering, år 2021" in text
    assert "(t.ex." not in text
    assert "5.11" in text
    # All boards' report holds no board's comments: no empty section for them.
    assert "Avslutande kommentarer" not in text and "Inga kommentarer" not in text


def _officer_writes_closing_comments_in_one_transaction(client, demo):
    plan, board = demo_plan(), social_board()
    page = client.get(f"/plans/{plan.id}/report?board_id={board.id}&year=2021").get_data(
        as_text=True
    )
    assert "Spara kommentarerna" in page
    before = transactions()
    response = client.post_form(
        f"/plans/{plan.id}/report/comments",
        {"board_id": board.id, "year": 2021, "text": "Arbetet fortsätter 2022.", "lock_version": 0},
    )
    assert response.status_code == 302
    assert transactions() == before + 1
    comment = db.session.query(ReportComment).filter_by(year=2021).one()
    assert (comment.year, comment.text) == (2021, "Arbetet fortsätter 2022.")
    page = client.get(f"/plans/{plan.id}/report.docx?board_id={board.id}&year=2021").data
    assert "Arbetet fortsätter 2022." in docx_text(page)


def _comments_refuse_personal_identity_numbers(client, demo):
    plan, board = demo_plan(), social_board()
    before = transactions()
    # The second with thin spaces around an en dash, as text pasted from a word processor.
    for text in ("Gäller 19811218-9876.", "Gäller 811218\u2009\u2013\u20099876."):
        response = client.post_form(
            f"/plans/{plan.id}/report/comments",
            {"board_id": board.id, "year": 2019, "text": text, "lock_version": 0},
            htmx=True,
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert text in page
        error = re.search(r'id="comment-text-error">(.*?)</p>', page, re.S)
        assert error and "personnummer" in error.group(1)
    assert transactions() == before


def _only_the_boards_officers_and_admins_write_comments(client, demo, make):
    plan, board = demo_plan(), social_board()
    data = {"board_id": board.id, "year": 2019, "text": "Nej", "lock_version": 0}
    switch_user(client, make.user("officer", boards=[make.board()]).username)
    assert client.post_form(f"/plans/{plan.id}/report/comments", data).status_code == 403
    switch_user(client, make.user("auditor").username)
    assert client.post_form(f"/plans/{plan.id}/report/comments", data).status_code == 403
    switch_user(client, make.user("admin").username)
    assert client.post_form(f"/plans/{plan.id}/report/comments", data).status_code == 302


def _plan_page_shows_accessible_charts(client, demo):
    page = client.get(f"/plans/{demo_plan().id}").get_data(as_text=True)
    assert '<svg class="chart-svg" role="img"' in page
    assert '<title id="chart-per-year-title">Status per år</title>' in page
    assert "Visa som tabell" in page
    assert "<caption>Status per år</caption>" in page


# Loading the demo data is the slow part, so each test below loads it once and checks
# several things in turn.


def test_report_content_pages_and_files(client, demo):
    _report_holds_every_sub_goal_and_the_covid_deviations(demo)
    _report_as_of_a_past_date_reads_the_history(demo)
    client.login("viewer", DEMO_PASSWORD)
    _html_report_for_a_year(client, demo)
    client.post_form("/logout")
    client.login("auditor", DEMO_PASSWORD)
    _report_as_of_a_past_date(client, demo)
    _bad_report_date_is_explained(client, demo)
    _plan_page_shows_accessible_charts(client, demo)
    _docx_report_is_complete(client, demo)
    _pdf_report_has_text(client, demo)


def test_closing_comments(client, demo, make):
    client.login("officer", DEMO_PASSWORD)
    _officer_writes_closing_comments_in_one_transaction(client, demo)
    _comments_refuse_personal_identity_numbers(client, demo)
    _only_the_boards_officers_and_admins_write_comments(client, demo, make)
