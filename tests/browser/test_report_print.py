"""The report printed from the browser: A4 pages with numbers, the application left out, and
page 1 holding the title and the summary rather than the title alone."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_reporting_rounds import PLAN_OPTION


def test_report_prints_on_numbered_a4_pages_from_the_first_page_on(page_as):
    page = page_as("officer")
    page.goto("/reports")
    page.get_by_label("Plan", exact=True).select_option(label=PLAN_OPTION)
    page.get_by_role("button", name="Välj plan").click()
    page.get_by_label("Nämnd", exact=True).select_option(label="Social- och omsorgsnämnden")
    page.get_by_role("button", name="Visa redovisningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redovisning")

    # What the browser's print dialog makes: print media, the stylesheet's page size.
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) > 2
    for number, (pdf_page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        assert abs(float(pdf_page.mediabox.width) - 595) <= 1
        assert abs(float(pdf_page.mediabox.height) - 842) <= 1
        # The page number box, which Chromium writes before the page's content.
        label = f"Sida {number} av {len(pages)}"
        assert text.startswith(label + " ") or text.endswith(" " + label), text[:40]
    first = pages[0]
    assert (
        "Redovisning av social- och omsorgsnämndens arbete med Handlingsplan för romsk "
        "inkludering 2018–2021"
    ) in first
    # The summary: every sub-goal with its years, before the account.
    assert "Sammanfattning" in first and "4.1 " in first and "5.11 " in first
    text = " ".join(pages)
    for left_out in ("Vilken redovisning", "Ladda ner som", "Logga ut", "Spara kommentarerna"):
        assert left_out not in text
