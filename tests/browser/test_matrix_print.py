"""The matrix printed from the browser: A3 landscape, every year column on the page, the
header row on every page that continues the table, and the application left out."""

import io
import re

from pypdf import PdfReader

A3_LANDSCAPE = (1191, 842)  # points
HEADER = re.compile(r"Delmål Ansvarig nämnd 2012 2013 .* 2021")


def _print(page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    for pdf_page in reader.pages:
        size = (round(float(pdf_page.mediabox.width)), round(float(pdf_page.mediabox.height)))
        assert size == A3_LANDSCAPE, size
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def _fits_the_page_width(page) -> None:
    page.emulate_media(media="print")
    overflow = page.evaluate(
        "() => { const t = document.querySelector('table.matrix');"
        " return t.scrollWidth - t.clientWidth; }"
    )
    assert overflow <= 1, overflow  # no year column cut off at the right


def test_all_plans_print_on_a3_landscape_with_the_header_on_every_page(page_as):
    page = page_as("viewer", viewport={"width": 1440, "height": 900})
    page.goto("/matrix?plan=all")
    pages = _print(page)
    assert len(pages) > 1
    for text in pages:
        assert HEADER.search(text), text[:120]  # the header row, repeated
        assert "Logga ut" not in text and "Filtrera" not in text
    text = " ".join(pages)
    assert "5.11 " in text and "Delvis genomförd" in text  # statuses in words too
    _fits_the_page_width(page)


def test_meeting_overview_prints_on_one_a3_page_with_its_legend(page_as):
    page = page_as("viewer", viewport={"width": 1440, "height": 900})
    page.goto("/matrix?meeting=1&plan=all")
    pages = _print(page)
    assert HEADER.search(pages[0])
    assert "5.11 " in pages[0]  # the last sub-goal of the last plan: every row on page 1
    text = " ".join(pages)
    # The glyphs are explained by words on paper: the legend with each status's name.
    for glyph, name in (("◔", "Pågår"), ("✓", "Genomförd"), ("✗", "Ej genomförd/uteblivit")):
        assert f"{glyph} {name}" in text
    assert "Lämna mötesläget" not in text
    _fits_the_page_width(page)
