"""The report's files need no fixing by hand: Word tables whose columns fit their words, a
one-line footer, headings kept with what follows; a PDF whose tables stay on the page,
whose page numbers are page furniture, whose figures and header cells say what they are."""

import io
import re

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from PIL import ImageFont
from pypdf import PdfReader

from tests.conftest import DEMO_PASSWORD
from tests.reports.helpers import demo_plan, social_board

FONTS = "/usr/share/fonts/truetype/dejavu/"
CELL_PADDING = Twips(2 * 57)  # the tables' cell margins, checked below


def _width(word: str, size: float, bold: bool) -> int:
    font = ImageFont.truetype(FONTS + ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)
    return int(Pt(font.getlength(word)))


def _words(text: str) -> list[str]:
    return [p for word in text.split() for p in re.findall(r"[^-–/]+[-–/]*|[-–/]+", word)]


def _reports(client):
    plan, board = demo_plan(), social_board()
    client.login("viewer", DEMO_PASSWORD)
    for query in (f"board_id={board.id}", ""):
        yield (
            client.get(f"/plans/{plan.id}/report.docx?{query}").data,
            client.get(f"/plans/{plan.id}/report.pdf?{query}").data,
            client.get(f"/plans/{plan.id}/report?{query}").get_data(as_text=True),
        )


def _docx_layout(content: bytes) -> None:
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert document.tables
    for table in document.tables:
        widths = [column.width for column in table.columns]
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert [m.get(qn("w:w")) for m in margins] == ["57", "57"]
        assert sum(widths) <= text_width
        for row in table.rows:
            assert [cell.width for cell in row.cells] == widths
            for cell, width in zip(row.cells, widths, strict=True):
                for run in [r for r in cell.paragraphs[0].runs if r.text]:
                    size = run.font.size.pt
                    assert size >= 8
                    for word in _words(run.text):
                        assert _width(word, size, bool(run.bold)) + CELL_PADDING <= width, word

    # The footer: one paragraph, its text at the left and the page numbers at a right tab
    # stop on the margin, short enough for one line at its size.
    paragraphs = section.footer.paragraphs
    assert len(paragraphs) == 1
    footer = paragraphs[0]
    stops = list(footer.paragraph_format.tab_stops)
    assert [(s.alignment, s.position) for s in stops] == [(WD_TAB_ALIGNMENT.RIGHT, text_width)]
    label, numbers = footer.text.split("\t")
    assert re.fullmatch(r"Sida 1 av 1", numbers)
    assert [f.text.strip() for f in footer._element.iter(qn("w:instrText"))] == [
        "PAGE",
        "NUMPAGES",
    ]
    sizes = {run.font.size for run in footer.runs if run.text}
    assert sizes == {Pt(8)}
    line = _width(label, 8, False) + _width("Sida 999 av 999", 8, False)
    assert line < text_width

    headings = [
        p
        for p in document.paragraphs
        if p.style.name in ("Title", "Caption") or p.style.name.startswith("Heading")
    ]
    assert len(headings) > 5
    assert all(p.paragraph_format.keep_with_next for p in headings)


def _texts(page) -> list[tuple[float, float, str]]:
    """(start x, estimated end x, text) of each piece of text on the page."""
    found = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = cm[0] * tm[0]
            x = cm[4] + tm[4] * cm[0]
            found.append((x, x + _width(text.strip(), size * scale, False) / 12700, text))

    page.extract_text(visitor_text=visit)
    return found


def _marked_content(page) -> list[tuple[str, int | None, str]]:
    """(tag, MCID, text) of each piece of text on the page, in its marked content."""
    stack, found = [], []

    def operator(op, args, _cm, _tm):
        if op == b"BDC":
            properties = args[1].get_object() if len(args) > 1 else {}
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            stack.append((str(args[0]), mcid))
        elif op == b"BMC":
            stack.append((str(args[0]), None))
        elif op == b"EMC" and stack:
            stack.pop()

    def text(content, *_rest):
        if content.strip() and stack:
            found.append((*stack[-1], content))

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return found


def _tree_mcids(reader) -> set[tuple[int, int]]:
    """(page number, MCID) of every piece of content the structure tree reaches."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    reached, todo = set(), [(reader.trailer["/Root"]["/StructTreeRoot"], None)]
    while todo:
        node, page = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            reached.add((page, int(node)))
            continue
        if hasattr(node, "get"):
            if "/Pg" in node:
                page = pages[node.raw_get("/Pg").idnum]
            if "/MCID" in node:
                reached.add((page, int(node["/MCID"])))
                continue
            kids = node.get("/K")
            if kids is None:
                continue
            kids = kids.get_object()
            todo.extend((kid, page) for kid in (kids if isinstance(kids, list) else [kids]))
    return reached


def _structure(reader, tag: str) -> list:
    found, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if hasattr(node, "get"):
            if node.get("/S") == tag:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                todo.extend(kids if isinstance(kids, list) else [kids])
    return found


def _pdf_layout(content: bytes, html: str) -> None:
    reader = PdfReader(io.BytesIO(content))
    pages = reader.pages
    # Every piece of text, "Totalt" and the totals of the status tables included, ends
    # inside the page's right margin (16 mm).
    for number, page in enumerate(pages, start=1):
        right = float(page.mediabox.width) - 16 / 25.4 * 72 + 1
        for _start, end, text in _texts(page):
            assert end <= right, (number, text)
    text = "\n".join(page.extract_text() for page in pages)
    assert "Totalt" in text

    # "Sida n av N" on every page, in marked content the structure tree does not reach.
    reached = _tree_mcids(reader)
    for number, page in enumerate(pages):
        assert page.extract_text().rstrip().endswith(f"Sida {number + 1} av {len(pages)}")
        marked = _marked_content(page)
        furniture = [m for m in marked if re.fullmatch(r"\s*Sida \d+ av \d+\s*", m[2])]
        assert furniture, number
        for tag, mcid, _text in furniture:
            assert tag == "/Artifact" or (number, mcid) not in reached
        # Body text is reached, so the check above can tell the two apart.
        assert any(mcid is not None and (number, mcid) in reached for _t, mcid, _x in marked)

    # Header cells keep their scope, in the HTML and in the PDF's structure tree.
    headers = re.findall(r"<th\b[^>]*>", html)
    assert headers and all(re.search(r'scope="(col|row)"', th) for th in headers)
    scopes = {th["/A"]["/Scope"] for th in _structure(reader, "/TH")}
    assert scopes == {"/Column", "/Row"}

    # The chart's description is the figure's alternate text.
    figures = _structure(reader, "/Figure")
    assert figures
    for figure in figures:
        assert "Status" in figure["/Alt"] and "Totalt" not in figure["/Alt"]
        assert re.search(r"\w+ \d+", figure["/Alt"])

    # The language in the XMP metadata as well as in the catalogue.
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"<dc:language><rdf:Bag><rdf:li>sv</rdf:li></rdf:Bag></dc:language>" in xmp


def test_report_files_need_no_fixing_by_hand(client, demo):
    for docx, pdf, html in _reports(client):
        _docx_layout(docx)
        _pdf_layout(pdf, html)


def test_the_printed_page_numbers_are_in_the_readers_language(client, demo):
    """The browser's print of the report page numbers its pages as the PDF does, in the
    reader's language (the stylesheet the page links for print)."""
    client.login("viewer", DEMO_PASSWORD)
    plan = demo_plan()
    page = client.get(f"/plans/{plan.id}/report").get_data(as_text=True)
    assert 'href="/reports/page-numbers.css" media="print"' in page
    swedish = client.get("/reports/page-numbers.css")
    assert swedish.mimetype == "text/css"
    assert '"Sida " counter(page) " av " counter(pages)' in swedish.get_data(as_text=True)
    client.post_form("/language", {"language": "en", "next": "/"})
    english = client.get("/reports/page-numbers.css").get_data(as_text=True)
    assert '"Page " counter(page) " of " counter(pages)' in english
