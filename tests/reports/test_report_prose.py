"""The report reads as prose in all three forms, page, DOCX and PDF: the board's own title,
the summary first, no form hints, the status beside its years, a deviation over consecutive
years once, the own board not named under each sub-goal, *medverkande* boards in the
singular or plural, no empty sections, and file names with one period, distinct per
variant."""

import io
import re

import lxml.html
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from intranet.reports.documents import report_filename
from intranet.reports.queries import build_report


def docx_in_order(content: bytes) -> str:
    """The document's text with its tables where they stand, not after the paragraphs."""
    document = Document(io.BytesIO(content))
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append(Paragraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            for row in Table(block, document).rows:
                parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


DEVIATION = "Pandemin stoppade grupperna."


def _texts(client, plan, query: str) -> dict[str, str]:
    page = client.get(f"/plans/{plan.id}/report?{query}").get_data(as_text=True)
    article = lxml.html.fromstring(page).xpath("//article")[0]
    for element in article.xpath(".//form | .//*[local-name()='svg']"):
        element.getparent().remove(element)
    html = " ".join(article.text_content().split())
    docx = " ".join(docx_in_order(client.get(f"/plans/{plan.id}/report.docx?{query}").data).split())
    reader = PdfReader(io.BytesIO(client.get(f"/plans/{plan.id}/report.pdf?{query}").data))
    pdf = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    return {"page": html, "docx": docx, "pdf": pdf}


def _plan(make):
    own = make.board(name="Social- och omsorgsnämnden")
    city = make.board(name="Kommunstyrelsen")
    school = make.board(name="Utbildningsnämnden")
    plan = make.plan(title="Handlingsplan för romsk inkludering 2018–2021")
    area = make.focus_area(plan=plan, number="4", title="Rätten till jämlika villkor")
    alone = make.sub_goal(focus_area=area, code="4.1", title="Ensam", boards=[own])
    one = make.sub_goal(focus_area=area, code="4.2", title="Med en", boards=[own, city])
    two = make.sub_goal(focus_area=area, code="4.3", title="Med två", boards=[own, city, school])
    for year in (2018, 2019):
        make.follow_up(sub_goal=alone, year=year, status="ongoing", outcome=f"Arbete {year}.")
    for year in (2020, 2021):
        make.follow_up(
            sub_goal=alone,
            year=year,
            status="partly_done",
            outcome="Individuellt.",
            deviation_reason="external",
            deviation_text=DEVIATION,
        )
    make.follow_up(sub_goal=one, year=2018, status="done", outcome="Klart.")
    make.follow_up(sub_goal=two, year=2018, status="not_started")
    return plan, own


def test_the_report_reads_as_prose_on_the_page_and_in_both_files(client, make):
    plan, own = _plan(make)
    client.login(make.user("admin").username, make.password)
    for form, text in _texts(client, plan, f"board_id={own.id}").items():
        title = (
            "Redovisning av social- och omsorgsnämndens arbete med "
            "Handlingsplan för romsk inkludering 2018–2021"
        )
        assert text.startswith(title) or f" {title} " in f" {text} ", form
        assert "Redovisning:" not in text, form
        # The summary first: every sub-goal and year, and the counts per status.
        assert text.index("Sammanfattning") < text.index("Inledning"), form
        summary = text[text.index("Sammanfattning") : text.index("Inledning")]
        for code in ("4.1", "4.2", "4.3"):
            assert code in summary, form
        assert re.search(r"2018\s?2019\s?2020\s?2021", summary), form
        assert "◑ Delvis genomförd" in summary and "✓ Genomförd" in summary, form
        assert "Antal per status under 2018–2021:" in summary, form
        account = text[text.index("Inledning") :]
        # No form hints; a deviation in consecutive years once, its years joined.
        assert "(t.ex." not in text, form
        assert account.count(DEVIATION) == 1, form
        assert f"Avvikelse 2020–2021. Orsak: yttre omständigheter. {DEVIATION}" in account, form
        # The status beside its years, apart from the account.
        assert "2018–2019" not in account, form  # the outcomes differ: each year its own
        assert "2018 (pågår): Arbete 2018." in account, form
        assert "2020–2021 (delvis genomförd): Individuellt." in account, form
        assert "2018 (ej påbörjad)." in account, form
        # The own board is not named under each sub-goal; the others are medverkande.
        assert "Ansvar:" not in account and "Huvudansvarig" not in account, form
        assert "Medverkande nämnd: Kommunstyrelsen" in account, form
        assert "Medverkande nämnder: Kommunstyrelsen, Utbildningsnämnden" in account, form
        # No empty section: the files leave out the comments none were written; the page
        # keeps the heading over the form that writes them.
        assert "Inga kommentarer" not in text, form
        if form != "page":
            assert "Avslutande kommentarer" not in text, form


def test_file_names_have_one_period_and_differ_by_variant(app_context, make):
    plan, own = _plan(make)
    names = {
        "plain": report_filename(build_report(plan.id, own.id), "pdf"),
        "year": report_filename(build_report(plan.id, own.id, year=2020), "pdf"),
        "earlier": report_filename(build_report(plan.id, own.id, earlier=True), "pdf"),
        "area": report_filename(build_report(plan.id, own.id, focus_area="4"), "pdf"),
        "all": report_filename(build_report(plan.id), "pdf"),
    }
    prefix = "uppföljning-social-och-omsorgsnämnden-handlingsplan-för-romsk-inkludering"
    assert names["plain"] == f"{prefix}-2018-2021.pdf"
    assert names["year"] == f"{prefix}-år-2020.pdf"
    assert names["earlier"] == f"{prefix}-2018-2021-med-tidigare-år.pdf"
    assert names["area"] == f"{prefix}-2018-2021-fokusområde-4.pdf"
    assert len(set(names.values())) == len(names)
    for name in names.values():
        assert len(re.findall(r"20\d\d", name)) <= 2, name
        assert "2021-2021" not in name and "2020-2020" not in name, name
