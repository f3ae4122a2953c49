"""The report's files as a board hands them in: read back with python-docx and pypdf."""

import io
import re
import zipfile
from datetime import timedelta
from urllib.parse import quote

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Twips
from pypdf import PdfReader
from sqlalchemy import select

from intranet import ROOT
from intranet.core import clock
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import SubGoal
from intranet.reports.documents import StaticFilesFetcher, pdf_from_html
from intranet.web.filenames import ascii_fold, content_disposition, slug
from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES
from tests.reports.helpers import demo_plan, docx_text, social_board

# Romani, an en dash, a comparison sign, a per cent sign, a space in an amount, a
# currency sign: none of them is in Latin-1, and each must come back as it was stored.
SPECIAL = "Arbeta med romani čhib – Šukar ≥ 80 % 25 000 €"


def _retitle_sub_goal(code: str, title: str) -> None:
    plan = demo_plan()
    sub_goal = db.session.scalar(
        select(SubGoal).where(
            SubGoal.code == code, SubGoal.focus_area_id.in_(a.id for a in plan.focus_areas)
        )
    )
    with acting_as(None, "test data"):
        sub_goal.title = title
        db.session.commit()


def _words(text: str) -> str:
    """Text without its line breaks, which are layout and not data: a break after a dash
    ("2018–" / "2021") joins, any other is one space."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\S[-–])\n", "", text))


def _pdf(content: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def _docx_is_a4_swedish_with_headings_and_page_numbers(content: bytes) -> None:
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))

    defaults = document.styles.element.find(qn("w:docDefaults"))
    languages = [lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))]
    assert languages == ["sv-SE"]
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        lang = document.styles[name].element.find(qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "sv-SE", name
    assert document.core_properties.language == "sv-SE"

    footer = section.footer._element
    fields = [text.text.strip() for text in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Sida" in "".join(t.text or "" for t in footer.iter(qn("w:t")))

    styles = [paragraph.style.name for paragraph in document.paragraphs]
    assert styles.count("Title") == 1
    # Summary, introduction, the board's two focus areas, status in figures, closing
    # comments.
    assert styles.count("Heading 1") == 6
    assert document.paragraphs[2].text == "Sammanfattning"
    assert styles.count("Heading 2") == 16  # its sub-goals
    assert styles.count("Heading 3") == 0

    for table in document.tables:
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(row._tr.find(qn("w:trPr")) is not None for row in table.rows)
    figures = next(t for t in document.tables if t.rows[0].cells[0].text == "År")
    widths = [column.width for column in figures.columns]
    assert sum(widths) <= Twips(11906) - 2 * Twips(1134)
    # Every cell says the same width as its column, for Word (cells) and LibreOffice (grid).
    assert all([c.width for c in row.cells] == widths for row in figures.rows)


def _docx_metadata(content: bytes, title_part: str, author: str) -> None:
    properties = Document(io.BytesIO(content)).core_properties
    # Not python-docx's own preview picture of its sample page.
    assert not [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if "thumbnail" in n]
    assert title_part in properties.title
    assert "Handlingsplan för romsk inkludering" in properties.title
    assert properties.author == author
    assert properties.comments == ""
    now = clock.now()
    for moment in (properties.created, properties.modified):
        assert now - timedelta(minutes=10) < moment <= now + timedelta(seconds=1)


def _pdf_is_tagged_a4_swedish_with_page_numbers(content: bytes, title_part: str, author: str):
    reader, pages = _pdf(content)
    assert len(pages) > 1
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) <= 1
        assert abs(float(page.mediabox.height) - 842) <= 1
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] in ("sv", "sv-SE")
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/AcroForm" not in catalog  # no form fields
    assert reader.metadata.title.startswith("Redovisning av ")
    assert title_part in reader.metadata.title
    assert reader.metadata.author == author
    for number, text in enumerate(pages, start=1):
        assert text.rstrip().endswith(f"Sida {number} av {len(pages)}"), number
    return pages


def _pdf_leaves_out_the_application(pages: list[str]) -> None:
    text = "\n".join(pages)
    for chrome in ("Hoppa till innehållet", "Logga ut", "Planer ›", "Vilken redovisning"):
        assert chrome not in text
    for control in ("Ladda ner som", "Spara kommentarerna", "Skriv ut sidan"):
        assert control not in text


def test_pdf_repeats_table_headers(app):
    """A table of the report that runs over pages has its header row on each of them."""
    fetcher = StaticFilesFetcher("http://intranet.test/static/", app.static_folder)
    rows = "".join(f"<tr><th scope='row'>{n}</th><td>{n * 2}</td></tr>" for n in range(150))
    html = (
        '<html lang="sv"><head><title>T</title><link rel="stylesheet" '
        'href="http://intranet.test/static/report-print.css"></head><body><main>'
        '<article class="report"><table class="data"><thead><tr><th scope="col">Kolumnrubrik'
        f"</th><th scope='col'>Antal</th></tr></thead><tbody>{rows}</tbody></table>"
        "</article></main></body></html>"
    )
    _reader, pages = _pdf(pdf_from_html(html, "http://intranet.test/plans/1/report.pdf", fetcher))
    assert len(pages) >= 2
    assert all("Kolumnrubrik Antal" in _words(text) for text in pages)


def test_report_files_are_a4_swedish_tagged_and_keep_every_character(client, demo):
    _retitle_sub_goal("4.1", SPECIAL)
    plan, board = demo_plan(), social_board()
    # An officer of the board, who may write closing comments: the files hold no form.
    client.login("officer", DEMO_PASSWORD)

    page = client.get(f"/plans/{plan.id}/report?board_id={board.id}").get_data(as_text=True)
    assert f"4.1 {SPECIAL}" in page
    assert "Spara kommentarerna" in page

    docx = client.get(f"/plans/{plan.id}/report.docx?board_id={board.id}")
    assert docx.status_code == 200
    name = "uppföljning-social-och-omsorgsnämnden-handlingsplan-för-romsk-inkludering-2018-2021"
    assert docx.headers["Content-Disposition"] == (
        f'attachment; filename="{ascii_fold(name)}.docx"; '
        f"filename*=UTF-8''{quote(name + '.docx', safe='')}"
    )
    assert ascii_fold(name) == (
        "uppfoljning-social-och-omsorgsnamnden-handlingsplan-for-romsk-inkludering-2018-2021"
    )
    _docx_is_a4_swedish_with_headings_and_page_numbers(docx.data)
    _docx_metadata(docx.data, "social- och omsorgsnämndens", board.name)
    document = Document(io.BytesIO(docx.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert f"4.1 {SPECIAL}" in headings
    # Once, as its heading: the summary names the sub-goals by code.
    assert docx_text(docx.data).count(SPECIAL) == 1

    pdf = client.get(f"/plans/{plan.id}/report.pdf?board_id={board.id}")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith(
        f'attachment; filename="{ascii_fold(name)}.pdf"; '
    )
    pages = _pdf_is_tagged_a4_swedish_with_page_numbers(
        pdf.data, "social- och omsorgsnämndens", board.name
    )
    text = _words("\n".join(pages))
    assert f"4.1 {SPECIAL}" in text
    assert "?hib" not in text and "?ukar" not in text
    assert "Handlingsplan för romsk inkludering 2018–2021" in text
    _pdf_leaves_out_the_application(pages)
    # Page 1 holds the title and the summary: every sub-goal with each year's status and
    # the counts per status, before the account itself.
    first = _words(pages[0])
    assert text.index("Sammanfattning") < text.index("Inledning")
    assert all(f"{code} " in first for code in SEED_CODES)
    assert "Antal per status under 2018–2021:" in first


@pytest.mark.slow
def test_report_files_for_all_boards_and_in_english(client, demo):
    plan = demo_plan()
    client.login("viewer", DEMO_PASSWORD)
    docx = client.get(f"/plans/{plan.id}/report.docx?year=2021")
    # One period: the year's, not the plan's and the year's.
    name = "uppfoljning-alla-namnder-handlingsplan-for-romsk-inkludering-ar-2021"
    assert docx.headers["Content-Disposition"].startswith(f'attachment; filename="{name}.docx"')
    title = "Redovisning av arbetet med Handlingsplan för romsk inkludering, år 2021"
    _docx_metadata(docx.data, title, "Alla nämnder")
    pdf = client.get(f"/plans/{plan.id}/report.pdf?year=2021")
    assert pdf.headers["Content-Disposition"].startswith(f'attachment; filename="{name}.pdf"')
    _pdf_is_tagged_a4_swedish_with_page_numbers(pdf.data, title, "Alla nämnder")

    # A report of the past says so in its name and in the document.
    client.post_form("/logout")
    client.login("auditor", DEMO_PASSWORD)
    past = client.get(f"/plans/{plan.id}/report.pdf?as_of=2019-06-01")
    assert past.headers["Content-Disposition"].startswith(
        'attachment; filename="uppfoljning-alla-namnder-handlingsplan-for-romsk-inkludering-'
        '2018-2021-per-2019-06-01.pdf"'
    )
    assert "Uppgifter per 2019-06-01" in _words(_pdf(past.data)[1][0])

    # The document's language is the reader's UI language.
    client.post_form("/language", {"language": "en", "next": "/"})
    reader, pages = _pdf(client.get(f"/plans/{plan.id}/report.pdf?year=2021").data)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Report on the work on Handlingsplan för romsk inkludering, 2021" in _words(pages[0])
    assert "Summary" in _words(pages[0])
    # A board's own report names the board as it is called, not in the Swedish genitive.
    board = social_board()
    own = client.get(f"/plans/{plan.id}/report?board_id={board.id}").get_data(as_text=True)
    assert "Report on the work of Social- och omsorgsnämnden on Handlingsplan" in own
    document = Document(io.BytesIO(client.get(f"/plans/{plan.id}/report.docx?year=2021").data))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert [lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))] == ["en-GB"]
    assert "Page" in "".join(
        t.text or "" for t in document.sections[0].footer._element.iter(qn("w:t"))
    )


def test_the_pdf_reads_static_files_from_disk_and_nothing_else(app):
    fetcher = StaticFilesFetcher("http://intranet.test/static/", app.static_folder)
    response = fetcher.fetch("http://intranet.test/static/report-print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert fetcher.fetched == ["http://intranet.test/static/report-print.css"]
    for url in (
        "https://example.org/static/report-print.css",
        "http://intranet.test/other/app.css",
        "http://intranet.test/static/../intranet/config.py",
        "http://intranet.test/static/%2e%2e/intranet/config.py",
        f"file://{ROOT}/static/app.css",
        "ftp://intranet.test/static/app.css",
    ):
        with pytest.raises(BaseException, match="Not a static file"):
            fetcher.fetch(url)
    # A template that links anything else stops the rendering instead of fetching it.
    html = (
        '<html lang="sv"><title>T</title><link rel="stylesheet" href="https://example.org/a.css">'
    )
    with pytest.raises(RuntimeError, match="example.org"):
        pdf_from_html(html, "http://intranet.test/plans/1/report.pdf", fetcher)
    assert fetcher.fetched == ["http://intranet.test/static/report-print.css"]


def test_file_names():
    assert slug("Social- och omsorgsnämnden") == "social-och-omsorgsnämnden"
    assert slug("Handlingsplan 2018–2021 (utkast)") == "handlingsplan-2018-2021-utkast"
    assert ascii_fold("Šukar čhib, Ørebro, Straße, Łódź") == "Sukar chib, Orebro, Strasse, Lodz"
    assert content_disposition("plan-1.xlsx") == 'attachment; filename="plan-1.xlsx"'
    assert content_disposition("nämnd-ö.pdf") == (
        "attachment; filename=\"namnd-o.pdf\"; filename*=UTF-8''n%C3%A4mnd-%C3%B6.pdf"
    )
    assert content_disposition('"\\.pdf').startswith('attachment; filename=".pdf"')
